import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** What the repository ships for Grafana and Prometheus, read as the tests need it. */

export const REPO = path.resolve(__dirname, '../../..');
export const PROVISIONING = path.join(REPO, 'provisioning');
export const DASHBOARD_DIR = path.join(PROVISIONING, 'dashboards/json');
export const PLUGIN_ID = 'vpnscope-vpnscope-datasource';

export const readYaml = (file: string): any => parse(fs.readFileSync(path.join(REPO, file), 'utf8'));
export const readJson = (file: string): any => JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8'));

export interface DataSourceRef {
  type?: string;
  uid?: string;
}

export interface Target {
  refId: string;
  datasource?: DataSourceRef;
  [option: string]: unknown;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  targets?: Target[];
  transformations?: Array<{ id: string; options: any }>;
  fieldConfig?: { defaults?: any; overrides?: any[] };
  options?: any;
  timeFrom?: string;
  interval?: string;
  panels?: Panel[];
}

export interface Variable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: DataSourceRef;
  current?: { value?: string };
}

export interface Dashboard {
  file: string;
  uid: string;
  title: string;
  tags: string[];
  time: { from: string; to: string };
  links: Array<{ type: string; tags?: string[]; url?: string }>;
  annotations: { list: Array<{ name: string; builtIn?: number; datasource?: DataSourceRef; target?: Target }> };
  templating: { list: Variable[] };
  panels: Panel[];
}

export function bundledDashboards(): Dashboard[] {
  return fs
    .readdirSync(DASHBOARD_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: name, ...JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, name), 'utf8')) }));
}

/** Every panel, rows' children included. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** A query a dashboard makes, wherever it sits: panel target, annotation or variable. */
export interface DashboardQuery {
  dashboard: Dashboard;
  where: string;
  datasource: DataSourceRef;
  target: Target;
  panel?: Panel;
}

export function queriesOf(dashboard: Dashboard): DashboardQuery[] {
  const panels = panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      dashboard,
      where: `panel "${panel.title}" target ${target.refId}`,
      datasource: target.datasource ?? panel.datasource ?? {},
      target,
      panel,
    }))
  );
  const annotations = dashboard.annotations.list
    .filter((annotation) => !annotation.builtIn && annotation.target)
    .map((annotation) => ({
      dashboard,
      where: `annotation "${annotation.name}"`,
      datasource: annotation.datasource ?? {},
      target: annotation.target as Target,
    }));
  const variables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      dashboard,
      where: `variable $${variable.name}`,
      datasource: variable.datasource ?? {},
      target: variable.query as Target,
    }));
  return [...panels, ...annotations, ...variables];
}

/** `${datasource}` → the default of that data source variable; a literal uid stays as it is. */
export function resolveUid(dashboard: Dashboard, uid: string | undefined): string | undefined {
  const variable = /^\$\{?(\w+)\}?$/.exec(uid ?? '');
  if (!variable) {
    return uid;
  }
  return dashboard.templating.list.find((v) => v.name === variable[1] && v.type === 'datasource')?.current?.value;
}

export interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
  url?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export function provisionedDataSources(): ProvisionedDataSource[] {
  return fs
    .readdirSync(path.join(PROVISIONING, 'datasources'))
    .flatMap((file) => readYaml(`provisioning/datasources/${file}`).datasources as ProvisionedDataSource[]);
}

export interface GrafanaRule {
  uid: string;
  title: string;
  condition: string;
  for: string;
  labels: Record<string, string>;
  data: Array<{ refId: string; datasourceUid: string; model: any }>;
}

export function grafanaAlertRules(): GrafanaRule[] {
  return readYaml('provisioning/alerting/vpnscope-alerts.yml').groups.flatMap((group: any) => group.rules);
}

export interface PrometheusRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

export function prometheusAlertRules(): PrometheusRule[] {
  return readYaml('provisioning/prometheus/vpnscope-rules.yml').groups.flatMap((group: any) => group.rules);
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000, y: 31_536_000 };

/** `6h`, `30d`, `12w`, `1y` in seconds (Grafana's relative time units). */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhdwMy])$/.exec(text);
  if (!match) {
    throw new Error(`not a relative time: ${text}`);
  }
  return Number(match[1]) * SECONDS[match[2]];
}

/** The range a panel asks for, in unix seconds: the dashboard's `now-X` or the panel's own `timeFrom`. */
export function panelRange(dashboard: Dashboard, panel: Panel | undefined, now: number): { from: number; to: number } {
  const relative = panel?.timeFrom ?? /^now-(\w+)$/.exec(dashboard.time.from)?.[1];
  if (!relative || dashboard.time.to !== 'now') {
    throw new Error(`${dashboard.file}: time range ${JSON.stringify(dashboard.time)} is not "now-X to now"`);
  }
  return { from: now - durationSeconds(relative), to: now };
}
