import type * as Contract from '../backend/src/contract';
import { describeHealth } from './health';

function source(overrides: Partial<Contract.SourceHealth>): Contract.SourceHealth {
  return {
    server: 'vpn1',
    kind: 'status-file',
    target: '/run/openvpn/server.status',
    up: true,
    lastSuccessAt: 1_700_000_000_000,
    lastErrorAt: null,
    lastError: null,
    errorCount: 0,
    parseErrorCount: 0,
    pollCount: 10,
    ...overrides,
  };
}

describe('describeHealth', () => {
  it('says the backend has no sources to read', () => {
    const result = describeHealth({ status: 'no_sources', version: '0.1.0', sources: [] });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/no sources configured/);
  });

  it('names each source that is down and why', () => {
    const result = describeHealth({
      status: 'degraded',
      version: '0.1.0',
      sources: [
        source({}),
        source({
          server: 'vpn2',
          kind: 'management',
          target: '127.0.0.1:7505',
          up: false,
          lastError: 'connect ECONNREFUSED',
        }),
      ],
    });
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'Connected to vpnscope 0.1.0, but 1 of 2 sources is down: vpn2 management 127.0.0.1:7505 (connect ECONNREFUSED).'
    );
  });

  it('says how many sources are up when all are', () => {
    const result = describeHealth({
      status: 'ok',
      version: '0.1.0',
      sources: [source({}), source({ server: 'pptp1', kind: 'syslog' })],
    });
    expect(result).toEqual({ status: 'success', message: 'Connected to vpnscope 0.1.0: 2 sources up.' });
  });

  it('counts a single source in the singular', () => {
    expect(describeHealth({ status: 'ok', version: '0.1.0', sources: [source({})] }).message).toBe(
      'Connected to vpnscope 0.1.0: 1 source up.'
    );
  });
});
