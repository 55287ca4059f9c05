import {
  Counter,
  Gauge,
  type MetricObjectWithValues,
  type MetricType,
  type MetricValue,
  type Registry,
} from 'prom-client';
import type { SourceHealthRegistry } from '../sources/source-health';
import type { TrackerState } from './tracker-state';

/**
 * The Go OpenVPN exporter calls its session count `ovpn_sessions_total` but types it a gauge,
 * which Prometheus' naming rules (and `promtool check metrics`) reject. Declaring it untyped
 * keeps the name its users' queries and dashboards know, without claiming a wrong type.
 */
class UntypedGauge extends Gauge {
  async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    // prom-client's MetricType enum has no member for the exposition format's `untyped`
    return { ...(await super.get()), type: 'untyped' as unknown as MetricType };
  }
}

/**
 * The metrics of the Go OpenVPN exporter (ovpn_*, probe_success), for dashboards and alerts
 * written against it (metrics.exporterCompat). Like that exporter, byte counts are the totals of
 * the sessions open now, per client; `client` is `<user>_<server>`, which reproduces its
 * `<cn>_tcp` / `<cn>_udp` labels when vpnscope's servers are named `tcp` and `udp`.
 */
export function registerExporterCompatMetrics(
  registry: Registry,
  tracker: TrackerState,
  health: SourceHealthRegistry,
  openvpnVersion: string
): void {
  const openvpnServers = () => tracker.serverStates().filter((server) => server.kind === 'openvpn');

  new UntypedGauge({
    name: 'ovpn_sessions_total',
    help: 'Total number of active sessions',
    registers: [registry],
    collect() {
      this.set(openvpnServers().reduce((sum, server) => sum + server.liveSessions, 0));
    },
  });

  const clientBytes = (direction: 'bytesIn' | 'bytesOut') => {
    const totals = new Map<string, number>();
    for (const server of openvpnServers()) {
      for (const session of tracker.liveSessions(server.name).values()) {
        const client = `${session.user}_${server.name}`;
        totals.set(client, (totals.get(client) ?? 0) + session[direction]);
      }
    }
    return totals;
  };

  new Counter({
    name: 'ovpn_bytes_in_total',
    help: 'Total number of bytes received',
    labelNames: ['client'],
    registers: [registry],
    collect() {
      this.reset();
      clientBytes('bytesIn').forEach((bytes, client) => this.inc({ client }, bytes));
    },
  });

  new Counter({
    name: 'ovpn_bytes_out_total',
    help: 'Total number of bytes sent',
    labelNames: ['client'],
    registers: [registry],
    collect() {
      this.reset();
      clientBytes('bytesOut').forEach((bytes, client) => this.inc({ client }, bytes));
    },
  });

  // An info metric: a gauge fixed at 1 (the exporter types it a counter without `_total`).
  new Gauge({
    name: 'ovpn_info',
    help: 'Software info',
    labelNames: ['product', 'version'],
    registers: [registry],
  }).set({ product: 'OpenVPN', version: openvpnVersion }, 1);

  new Gauge({
    name: 'probe_success',
    help: 'OpenVPN Status',
    labelNames: ['version'],
    registers: [registry],
    collect() {
      // As the exporter: up while at least one OpenVPN status source can be read.
      const openvpn = new Set(openvpnServers().map((server) => server.name));
      const up = health.all().some((source) => openvpn.has(source.server) && source.up);
      this.set({ version: openvpnVersion }, up ? 1 : 0);
    },
  });
}
