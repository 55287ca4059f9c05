import { Gauge, type Registry } from 'prom-client';
import { POOL, type TrackerState } from './tracker-state';

/**
 * Sessions and pool occupancy per server, read from the tracker's memory when Prometheus
 * scrapes: a scrape costs a walk over the configured servers, never a query.
 */
export function registerServerGauges(registry: Registry, tracker: TrackerState): void {
  new Gauge({
    name: 'vpnscope_active_sessions',
    help: 'Sessions open on the VPN server at its last poll.',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      this.reset();
      for (const server of tracker.serverStates()) {
        this.set({ server: server.name }, server.liveSessions);
      }
    },
  });

  new Gauge({
    name: 'vpnscope_pool_used_addresses',
    help: 'Addresses of the pool held by open sessions (one per session).',
    labelNames: ['server', 'pool'],
    registers: [registry],
    collect() {
      this.reset();
      for (const server of tracker.serverStates()) {
        this.set({ server: server.name, pool: POOL }, server.liveSessions);
      }
    },
  });

  new Gauge({
    name: 'vpnscope_pool_size_addresses',
    help: 'Addresses the pool can hand out; absent while the size is unknown.',
    labelNames: ['server', 'pool'],
    registers: [registry],
    collect() {
      this.reset();
      for (const server of tracker.serverStates()) {
        if (server.pool.size !== null) {
          this.set({ server: server.name, pool: POOL }, server.pool.size);
        }
      }
    },
  });
}
