import type { TestDataSourceResponse } from '@grafana/data';
import type * as Contract from '../backend/src/contract';

/** Turns the backend's health report into the sentence "Save & test" shows. */
export function describeHealth(health: Contract.HealthResponse): TestDataSourceResponse {
  const { sources, version } = health;
  if (health.status === 'no_sources' || sources.length === 0) {
    return {
      status: 'error',
      message: `Connected to vpnscope ${version}, but it has no sources configured: add an OpenVPN status file, management interface or pptpd syslog to its config.`,
    };
  }
  const down = sources.filter((source) => !source.up);
  if (down.length > 0) {
    return {
      status: 'error',
      message: `Connected to vpnscope ${version}, but ${down.length} of ${sources.length} ${plural(sources.length, 'source')} ${down.length === 1 ? 'is' : 'are'} down: ${down.map(describeSource).join('; ')}.`,
    };
  }
  return {
    status: 'success',
    message: `Connected to vpnscope ${version}: ${sources.length} ${plural(sources.length, 'source')} up.`,
  };
}

function describeSource(source: Contract.SourceHealth): string {
  const reason = source.lastError ? ` (${source.lastError})` : '';
  return `${source.server} ${source.kind} ${source.target}${reason}`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
