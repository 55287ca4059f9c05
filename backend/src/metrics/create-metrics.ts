import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { SourceHealthRegistry } from '../sources/source-health';
import { registerExporterCompatMetrics } from './exporter-compat-metrics';
import { registerServerGauges } from './server-gauges';
import { registerSourceMetrics } from './source-metrics';
import type { TrackerState } from './tracker-state';
import { registerTrackerCounters } from './tracker-counters';

export interface MetricsOptions {
  tracker: TrackerState;
  health: SourceHealthRegistry;
  /** vpnscope's own version, for vpnscope_build_info. */
  version: string;
  /** Per-user byte counters (one series per user: off by default). */
  perUser: boolean;
  /** The Go OpenVPN exporter's metric names and its /sessions JSON. */
  exporterCompat: boolean;
  /** The OpenVPN release the compatibility set reports in its `version` labels, if known. */
  openvpnVersion: string | null;
}

/** What buildApp needs to serve /metrics (and /sessions when the compatibility set is on). */
export interface VpnscopeMetrics {
  registry: Registry;
  exporterCompat: boolean;
}

/**
 * prom-client's default set has three gauges ending in `_total`, which Prometheus' naming rules
 * reserve for counters; their per-type twins without the suffix carry the same numbers.
 */
const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * One registry per call, never prom-client's global one, so several apps (tests) can live in
 * one process. Subscribes to the tracker: create it once per tracker.
 */
export function createMetrics(options: MetricsOptions): VpnscopeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  MISNAMED_DEFAULT_METRICS.forEach((name) => registry.removeSingleMetric(name));

  new Gauge({
    name: 'vpnscope_build_info',
    help: 'The running vpnscope version; always 1.',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: options.version }, 1);

  registerSourceMetrics(registry, options.health);
  registerServerGauges(registry, options.tracker);
  registerTrackerCounters(registry, options.tracker, options.perUser);
  if (options.exporterCompat) {
    registerExporterCompatMetrics(registry, options.tracker, options.health, options.openvpnVersion ?? 'unknown');
  }
  return { registry, exporterCompat: options.exporterCompat };
}
