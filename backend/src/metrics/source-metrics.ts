import { Counter, Gauge, type Registry } from 'prom-client';
import type { SourceHealth } from '../contract';
import type { SourceHealthRegistry } from '../sources/source-health';

type SourceLabel = 'server' | 'source';

const labelsOf = (health: SourceHealth) => ({ server: health.server, source: health.kind });

/**
 * Whether each source (status file, management interface, syslog) answered its last poll, and
 * its running tallies. The health registry already keeps them; a scrape copies them out.
 */
export function registerSourceMetrics(registry: Registry, health: SourceHealthRegistry): void {
  new Gauge<SourceLabel>({
    name: 'vpnscope_up',
    help: 'Whether the source answered its last poll (1) or failed (0).',
    labelNames: ['server', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      health.all().forEach((source) => this.set(labelsOf(source), source.up ? 1 : 0));
    },
  });

  new Gauge<SourceLabel>({
    name: 'vpnscope_last_successful_poll_timestamp_seconds',
    help: 'Unix time of the last successful poll of the source; absent until it has had one.',
    labelNames: ['server', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const source of health.all()) {
        if (source.lastSuccessAt !== null) {
          this.set(labelsOf(source), source.lastSuccessAt);
        }
      }
    },
  });

  tallyCounter(registry, health, {
    name: 'vpnscope_source_errors_total',
    help: 'Polls of the source that failed (unreadable file, refused connection, stale report ...).',
    tally: (source) => source.errorCount,
  });

  tallyCounter(registry, health, {
    name: 'vpnscope_source_parse_errors_total',
    help: 'Lines a parser rejected in polls that otherwise succeeded.',
    tally: (source) => source.parseErrorCount,
  });
}

/** A counter whose value is a running tally the health registry keeps since vpnscope started. */
function tallyCounter(
  registry: Registry,
  health: SourceHealthRegistry,
  counter: { name: string; help: string; tally: (source: SourceHealth) => number }
): void {
  new Counter<SourceLabel>({
    name: counter.name,
    help: counter.help,
    labelNames: ['server', 'source'],
    registers: [registry],
    collect() {
      // prom-client counters only go up by increments: start from zero and add the whole tally
      this.reset();
      health.all().forEach((source) => this.inc(labelsOf(source), counter.tally(source)));
    },
  });
}
