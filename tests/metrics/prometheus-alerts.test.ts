import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { bundledDashboards, queriesOf } from '../provisioning/support/bundle';
import { clients, CONNECTED_AT, startVpnFixture, type VpnFixture } from './support/vpn-fixture';
import {
  PROVISIONED_PROMETHEUS,
  startPrometheus,
  type PrometheusServer,
  type PromSample,
} from './support/prometheus-server';

jest.setTimeout(120_000);

const TOKEN = 'prometheus-scrape-token';
const POOL_SIZE = 20;

interface AlertRule {
  alert: string;
  expr: string;
}

const rules: AlertRule[] = parse(
  fs.readFileSync(path.join(PROVISIONED_PROMETHEUS, 'vpnscope-rules.yml'), 'utf8')
).groups.flatMap((group: { rules: AlertRule[] }) => group.rules);
const exprOf = (alert: string): string => {
  const rule = rules.find((candidate) => candidate.alert === alert);
  if (!rule) {
    throw new Error(`no rule ${alert} in vpnscope-rules.yml`);
  }
  return rule.expr;
};

const byServer = (samples: PromSample[]) =>
  Object.fromEntries(samples.map((sample) => [sample.metric.server, Number(sample.value[1])]));

describe('the alert rules, evaluated by a real Prometheus scraping a live vpnscope', () => {
  let vpn: VpnFixture;
  let prometheus: PrometheusServer;
  let ts = CONNECTED_AT + 60;

  /** One poll that finds `used` sessions on udp1194's pool of 20. */
  const fillPool = (used: number) => {
    ts += 60;
    vpn.tracker.applySnapshot({ server: 'udp1194', ts, sessions: clients(used) });
  };
  const scraped = (expr: string, value: number, what: string) =>
    prometheus.waitFor(expr, (samples) => samples.length === 1 && Number(samples[0].value[1]) === value, what);

  beforeAll(async () => {
    vpn = await startVpnFixture({ apiToken: TOKEN });
    vpn.tracker.registerServer('udp1194', 'openvpn', { size: POOL_SIZE, source: 'poolSize in vpnscope.yaml' });
    vpn.tracker.registerServer('tcp443', 'openvpn', { size: POOL_SIZE, source: 'poolSize in vpnscope.yaml' });
    vpn.health.register('udp1194', 'status-file', '/run/openvpn-server/status-udp1194.log');
    vpn.health.register('tcp443', 'status-file', '/run/openvpn-server/status-tcp443.log');
    vpn.health.record('udp1194', 'status-file', { ok: true, parseIssues: 0 }, ts);
    vpn.health.record('tcp443', 'status-file', { ok: false, error: 'permission denied' }, ts);
    vpn.tracker.applySnapshot({ server: 'tcp443', ts, sessions: clients(2) });
    fillPool(17);
    const address = await vpn.app.listen({ host: '127.0.0.1', port: 0 });
    prometheus = await startPrometheus(new URL(address).host, TOKEN);
    await scraped('up{job="vpnscope"}', 1, 'vpnscope to be scraped with the token');
    await scraped('vpnscope_pool_used_addresses{server="udp1194"}', 17, 'the first pool sample');
  });

  afterAll(async () => {
    await prometheus?.stop();
    await vpn?.close();
  });

  it('loads the rule file: Prometheus lists every alert of vpnscope-rules.yml', async () => {
    const data = (await prometheus.get('/api/v1/rules')) as { groups: Array<{ rules: Array<{ name: string }> }> };
    const loaded = data.groups.flatMap((group) => group.rules.map((rule) => rule.name));
    expect(loaded.sort()).toEqual(rules.map((rule) => rule.alert).sort());
  });

  it('warns but does not page for a pool filled to 85 %', async () => {
    expect(byServer(await prometheus.query(exprOf('VpnPoolUsageWarning')))).toEqual({ udp1194: 0.85 });
    expect(await prometheus.query(exprOf('VpnPoolUsageCritical'))).toEqual([]);
  });

  it('holds the warning pending until the pool has been that full for 5 minutes', async () => {
    const pending = await prometheus.waitFor(
      'ALERTS{alertname="VpnPoolUsageWarning"}',
      (samples) => samples.length > 0,
      'the warning to be pending'
    );
    expect(pending.map((sample) => [sample.metric.server, sample.metric.alertstate])).toEqual([['udp1194', 'pending']]);
  });

  it('warns and pages for a pool filled to 95 %', async () => {
    fillPool(19);
    await scraped('vpnscope_pool_used_addresses{server="udp1194"}', 19, 'the pool at 19 of 20');
    expect(byServer(await prometheus.query(exprOf('VpnPoolUsageWarning')))).toEqual({ udp1194: 0.95 });
    expect(byServer(await prometheus.query(exprOf('VpnPoolUsageCritical')))).toEqual({ udp1194: 0.95 });
  });

  it('finds the one source vpnscope cannot read', async () => {
    const down = await prometheus.query(exprOf('VpnSourceDown'));
    expect(down.map((sample) => [sample.metric.server, sample.metric.source])).toEqual([['tcp443', 'status-file']]);
  });

  it('sees no burst before failed logins, and one after twelve on a server', async () => {
    const counter = 'vpnscope_events_total{server="udp1194",kind="auth_failure"}';
    await scraped(counter, 0, 'the failed-login counter at zero');
    expect(await prometheus.query(exprOf('VpnAuthFailureBurst'))).toEqual([]);
    for (let attempt = 0; attempt < 12; attempt++) {
      vpn.tracker.recordEvent('udp1194', {
        ts: ts + attempt,
        kind: 'auth_failure',
        user: 'mallory',
        realAddress: `198.18.5.5:${50000 + attempt}`,
        detail: 'AUTH_FAILED',
      });
    }
    await scraped(counter, 12, 'twelve failed logins');
    const burst = byServer(await prometheus.query(exprOf('VpnAuthFailureBurst')));
    expect(Object.keys(burst)).toEqual(['udp1194']);
    expect(burst.udp1194).toBeGreaterThanOrEqual(12);
  });

  it('answers every Prometheus panel of the bundled dashboards with series', async () => {
    const panels = bundledDashboards()
      .flatMap(queriesOf)
      .filter((query) => query.datasource.type === 'prometheus');
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      const expr = String(panel.target.expr).replace(/\$__rate_interval/g, '1m');
      const where = `${panel.dashboard.file} ${panel.where}`;
      expect({ where, series: (await prometheus.query(expr)).length > 0 }).toEqual({ where, series: true });
    }
  });
});
