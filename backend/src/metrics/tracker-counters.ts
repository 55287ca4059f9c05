import { Counter, type Registry } from 'prom-client';
import type { EventKind } from '../contract';
import type { TrackerState } from './tracker-state';

/** Counted from zero for every server, so increase() sees the first failure after a restart too. */
const SECURITY_KINDS: readonly EventKind[] = ['auth_failure', 'tls_error'];

/**
 * Bytes and events as the tracker stores them, counted as they happen (the tracker tells its
 * listeners after each write), so a scrape reads counters and never sums the traffic table.
 * Per-user counters exist only when asked for: one series per user is unbounded.
 */
export function registerTrackerCounters(registry: Registry, tracker: TrackerState, perUser: boolean): void {
  const serverNames = () => tracker.serverStates().map((server) => server.name);
  const bytesIn = new Counter({
    name: 'vpnscope_bytes_in_total',
    help: 'Bytes the VPN server received from its clients, counted since vpnscope started.',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      serverNames().forEach((server) => this.inc({ server }, 0));
    },
  });
  const bytesOut = new Counter({
    name: 'vpnscope_bytes_out_total',
    help: 'Bytes the VPN server sent to its clients, counted since vpnscope started.',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      serverNames().forEach((server) => this.inc({ server }, 0));
    },
  });
  const events = new Counter({
    name: 'vpnscope_events_total',
    help: 'Events recorded, by kind: connect, disconnect, auth_failure, tls_error, server_restart, source_down ...',
    labelNames: ['server', 'kind'],
    registers: [registry],
    collect() {
      serverNames().forEach((server) => SECURITY_KINDS.forEach((kind) => this.inc({ server, kind }, 0)));
    },
  });
  const userBytes = perUser ? registerUserCounters(registry) : null;

  tracker.addListener({
    traffic(server, user, received, sent) {
      bytesIn.inc({ server }, received);
      bytesOut.inc({ server }, sent);
      userBytes?.bytesIn.inc({ server, user }, received);
      userBytes?.bytesOut.inc({ server, user }, sent);
    },
    event(server, event) {
      events.inc({ server: server ?? '', kind: event.kind });
    },
  });
}

function registerUserCounters(registry: Registry) {
  return {
    bytesIn: new Counter({
      name: 'vpnscope_user_bytes_in_total',
      help: 'Bytes the VPN server received from one user, counted since vpnscope started (metrics.perUser).',
      labelNames: ['server', 'user'],
      registers: [registry],
    }),
    bytesOut: new Counter({
      name: 'vpnscope_user_bytes_out_total',
      help: 'Bytes the VPN server sent to one user, counted since vpnscope started (metrics.perUser).',
      labelNames: ['server', 'user'],
      registers: [registry],
    }),
  };
}
