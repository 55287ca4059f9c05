import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createMetrics } from '../../backend/src/metrics/create-metrics';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import {
  bundledDashboards,
  grafanaAlertRules,
  PROVISIONING,
  panelsOf,
  prometheusAlertRules,
  provisionedDataSources,
  queriesOf,
  type GrafanaRule,
} from './support/bundle';

const grafanaRules = grafanaAlertRules();
const prometheusRules = prometheusAlertRules();
const PROMETHEUS_DIR = path.join(PROVISIONING, 'prometheus');

/** Grafana's threshold evaluators as PromQL comparisons. */
const COMPARISON: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', ne: '!=' };

/** A Grafana rule as the PromQL expression it alerts on: query A compared as threshold C says. */
function asPromQl(rule: GrafanaRule): string {
  const query = rule.data.find((step) => step.refId === 'A');
  const threshold = rule.data.find((step) => step.refId === rule.condition);
  expect(threshold?.model).toMatchObject({ type: 'threshold', expression: 'A' });
  const [{ evaluator }] = threshold?.model.conditions;
  return `${query?.model.expr} ${COMPARISON[evaluator.type]} ${evaluator.params[0]}`;
}

const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8' });

describe('the alert rules', () => {
  it('alert on pool usage at 80 % (warning) and 90 % (critical) held for 5 minutes, on source down and on failed-login bursts', () => {
    expect(prometheusRules.map((rule) => [rule.alert, rule.labels?.severity, rule.for])).toEqual([
      ['VpnPoolUsageWarning', 'warning', '5m'],
      ['VpnPoolUsageCritical', 'critical', '5m'],
      ['VpnSourceDown', 'critical', '2m'],
      ['VpnAuthFailureBurst', 'warning', '0m'],
    ]);
    expect(prometheusRules[0].expr).toMatch(/>= 0\.8$/);
    expect(prometheusRules[1].expr).toMatch(/>= 0\.9$/);
  });

  it('are the same rules in Grafana and in the Prometheus rule file', () => {
    expect(grafanaRules.map((rule) => rule.title)).toEqual(prometheusRules.map((rule) => rule.alert));
    for (const rule of grafanaRules) {
      const twin = prometheusRules.find((candidate) => candidate.alert === rule.title);
      expect({ alert: rule.title, expr: asPromQl(rule), for: rule.for, labels: rule.labels }).toEqual({
        alert: twin?.alert,
        expr: twin?.expr,
        for: twin?.for,
        labels: twin?.labels,
      });
    }
  });

  it('query the provisioned Prometheus data source (a frontend data source cannot back Grafana alerts)', () => {
    const prometheusUids = provisionedDataSources()
      .filter((ds) => ds.type === 'prometheus')
      .map((ds) => ds.uid);
    for (const rule of grafanaRules) {
      for (const step of rule.data) {
        expect(step.datasourceUid === '__expr__' || prometheusUids.includes(step.datasourceUid)).toBe(true);
      }
      expect(rule.data.map((step) => step.refId)).toContain(rule.condition);
    }
    expect(new Set(grafanaRules.map((rule) => rule.uid)).size).toBe(grafanaRules.length);
  });

  it('link each Grafana rule to a panel of a bundled dashboard', () => {
    const dashboards = bundledDashboards();
    for (const rule of grafanaRules as Array<GrafanaRule & { annotations: Record<string, string> }>) {
      const dashboard = dashboards.find((d) => d.uid === rule.annotations.__dashboardUid__);
      expect(dashboard?.uid).toBe(rule.annotations.__dashboardUid__);
      expect(panelsOf(dashboard!).map((panel) => String(panel.id))).toContain(rule.annotations.__panelId__);
    }
  });

  it('pass promtool check rules and the promtool unit tests', () => {
    expect(promtool('check', 'rules', 'vpnscope-rules.yml')).toMatch(/SUCCESS: 4 rules found/);
    expect(promtool('test', 'rules', 'vpnscope-rules.test.yml')).toMatch(/SUCCESS/);
  });

  it('use only metric names vpnscope exposes, as do the Prometheus panels of the dashboards', () => {
    const tracker = { serverStates: () => [], liveSessions: () => new Map(), addListener: () => undefined };
    const { registry } = createMetrics({
      tracker,
      health: new SourceHealthRegistry(),
      version: 'test',
      perUser: true,
      exporterCompat: false,
      openvpnVersion: null,
    });
    const exposed = new Set(registry.getMetricsAsArray().map((metric) => metric.name));
    const exprs = [
      ...prometheusRules.map((rule) => rule.expr),
      ...bundledDashboards()
        .flatMap(queriesOf)
        .filter((query) => query.datasource.type === 'prometheus')
        .map((query) => String(query.target.expr)),
    ];
    const used = new Set(exprs.flatMap((expr) => expr.match(/\bvpnscope_\w+/g) ?? []));
    expect(used.size).toBeGreaterThan(3);
    used.forEach((name) => expect(exposed).toContain(name));
  });
});
