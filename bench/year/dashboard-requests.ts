/**
 * Every request the bundled dashboards make of vpnscope, read from their JSON: each panel's
 * vpnscope targets (Prometheus panels are Prometheus's business), each annotation and each
 * query variable, with template variables filled in as a viewer would pick them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { QueryRequest, VpnQuery } from '../../backend/src/contract';
import { PANEL_WIDTH_PX, panelInterval, type DashboardRange } from './grafana-interval';

const VPNSCOPE = 'vpnscope-vpnscope-datasource';

/** Where the bundled dashboards are provisioned from. */
export const DASHBOARDS_DIR = path.resolve(__dirname, '../../provisioning/dashboards/json');

interface Target {
  refId: string;
  datasource?: { type?: string };
  [option: string]: unknown;
}

interface Panel {
  title?: string;
  interval?: string;
  targets?: Target[];
  panels?: Panel[];
}

interface Dashboard {
  title: string;
  panels?: Panel[];
  annotations?: { list?: Array<{ name?: string; datasource?: { type?: string }; target?: Target }> };
  templating?: { list?: Array<{ name: string; type: string; datasource?: { type?: string }; query?: unknown }> };
}

export interface DashboardRequest {
  dashboard: string;
  /** Panel titles (panels with the same queries ask once here), or the annotation or variable. */
  what: string;
  kind: 'panel' | 'annotation' | 'variable';
  /** The filled-in variables, e.g. `user = alice.smith (heavy)`; '' when none. */
  variant: string;
  minInterval?: string;
  queries: VpnQuery[];
}

/** A name to put for `$variable`, and how to show that choice. */
export interface VariableChoice {
  value: string;
  label: string;
}

const isVpnscope = (source?: { type?: string }) => source?.type === VPNSCOPE;

function allPanels(panels: Panel[] = []): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels)]);
}

/** `$user` and `${user}` in every string of a target; Grafana's own fields are left out, as the plugin does. */
function resolve(target: Target, values: Record<string, string>): VpnQuery {
  const { datasource: _datasource, ...query } = target;
  const text = JSON.stringify(query).replace(/\$\{?(\w+)\}?/g, (whole, name: string) => values[name] ?? whole);
  return JSON.parse(text) as VpnQuery;
}

const usesVariable = (value: unknown, name: string) => new RegExp(`\\$\\{?${name}\\b`).test(JSON.stringify(value));

/**
 * The dashboards' requests; a request that names a variable comes once per choice of it in
 * `choices` (e.g. a heavy and a light user), the others once.
 */
export function dashboardRequests(dir: string, choices: Record<string, VariableChoice[]>): DashboardRequest[] {
  const requests: DashboardRequest[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Dashboard;
    const add = (what: string, kind: DashboardRequest['kind'], targets: Target[], minInterval?: string) => {
      const variable = Object.keys(choices).find((name) => usesVariable(targets, name));
      const picks = variable ? choices[variable].map((choice) => ({ [variable]: choice })) : [{}];
      for (const pick of picks) {
        const values = Object.fromEntries(Object.entries(pick).map(([name, choice]) => [name, choice.value]));
        const variant = Object.entries(pick)
          .map(([name, choice]) => `${name} = ${choice.label}`)
          .join(', ');
        const queries = targets.map((target) => resolve(target, values));
        const same = requests.find(
          (r) =>
            r.dashboard === dashboard.title &&
            r.kind === kind &&
            r.variant === variant &&
            r.minInterval === minInterval &&
            JSON.stringify(r.queries) === JSON.stringify(queries)
        );
        if (same) {
          same.what += ` / ${what}`;
        } else {
          requests.push({ dashboard: dashboard.title, what, kind, variant, minInterval, queries });
        }
      }
    };
    for (const panel of allPanels(dashboard.panels)) {
      const targets = (panel.targets ?? []).filter((target) => isVpnscope(target.datasource));
      if (targets.length > 0) {
        add(panel.title ?? '(untitled)', 'panel', targets, panel.interval);
      }
    }
    for (const annotation of dashboard.annotations?.list ?? []) {
      if (isVpnscope(annotation.datasource) && annotation.target) {
        add(`annotations: ${annotation.name ?? ''}`, 'annotation', [annotation.target]);
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type === 'query' && isVpnscope(variable.datasource) && typeof variable.query === 'object') {
        add(`variable $${variable.name}`, 'variable', [variable.query as Target]);
      }
    }
  }
  return requests;
}

/** The body Grafana's panel, annotation or variable would POST for `range`. */
export function requestBody(request: DashboardRequest, range: DashboardRange): QueryRequest {
  const wire = { range: { from: range.from, to: range.to }, queries: request.queries };
  switch (request.kind) {
    case 'panel':
      return {
        ...wire,
        intervalMs: panelInterval(range, PANEL_WIDTH_PX, request.minInterval),
        maxDataPoints: PANEL_WIDTH_PX,
      };
    case 'annotation':
      // Grafana's annotation runner asks for the whole range as one interval and no points
      return { ...wire, intervalMs: panelInterval(range, 1) };
    case 'variable':
      return wire;
  }
}
