import {
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  dateTime,
  type Field,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { DataSource } from '../../../src/datasource';
import { fakeTemplateSrv, type VariableValues } from '../../../src/testing/fakeTemplateSrv';
import type { VpnscopeQuery } from '../../../src/types';
import { FIRST_POLL, LAST_POLL } from '../../support/live-backend-plan';
import { useGrafanaProxy } from './grafanaProxy';

/** What a dashboard holds besides its panels; Grafana's TemplateSrv is faked, nothing of the backend is. */
export interface DashboardSetup {
  backendUrl: string;
  apiToken?: string;
  variables?: VariableValues;
}

export interface Dashboard {
  datasource: DataSource;
  /** Every request the data source sent through the (emulated) data-source proxy. */
  requests: BackendSrvRequest[];
}

const PROXY_URL = '/api/datasources/proxy/uid/vpnscope-live';

/** A vpnscope data source configured with `backendUrl` and `apiToken`, behind Grafana's proxy. */
export function openDashboard(setup: DashboardSetup): Dashboard {
  const jsonData = { backendUrl: setup.backendUrl };
  const requests = useGrafanaProxy({
    proxyUrl: PROXY_URL,
    jsonData,
    secureJsonData: setup.apiToken === undefined ? {} : { apiToken: setup.apiToken },
  });
  const settings = {
    id: 7,
    uid: 'vpnscope-live',
    type: 'vpnscope-vpnscope-datasource',
    name: 'vpnscope',
    access: 'proxy',
    url: PROXY_URL,
    jsonData,
    // Grafana tells the browser only which secrets are set, never their values.
    secureJsonFields: { apiToken: setup.apiToken !== undefined },
    readOnly: false,
    meta: {},
  } as unknown as DataSourceInstanceSettings;
  return { datasource: new DataSource(settings, fakeTemplateSrv(setup.variables ?? {})), requests };
}

/** Unix seconds as a Grafana time range. */
export function timeRange(fromS: number, toS: number): TimeRange {
  const [from, to] = [dateTime(fromS * 1000), dateTime(toS * 1000)];
  return { from, to, raw: { from, to } };
}

/** The seeded hour: the first poll to the last, which the backend takes as now. */
export const SEEDED_HOUR = timeRange(FIRST_POLL, LAST_POLL);

/** A panel's request as Grafana builds it: a one-minute interval unless told otherwise. */
export function panelRequest(
  targets: VpnscopeQuery[],
  options: { range?: TimeRange; intervalMs?: number; scopedVars?: ScopedVars } = {}
): DataQueryRequest<VpnscopeQuery> {
  const intervalMs = options.intervalMs ?? 60_000;
  return {
    requestId: 'live',
    interval: `${intervalMs / 1000}s`,
    intervalMs,
    maxDataPoints: 1000,
    range: options.range ?? SEEDED_HOUR,
    scopedVars: options.scopedVars ?? {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

/** How a field reaches the panel: its name, type, unit, display name and labels. */
export function describeField(field: Field) {
  return {
    name: field.name,
    type: field.type,
    unit: field.config.unit,
    displayName: field.config.displayName ?? field.config.displayNameFromDS,
    labels: field.labels,
  };
}

export function fieldNamed(frame: DataFrame, name: string): Field {
  const field = frame.fields.find((candidate) => candidate.name === name);
  if (!field) {
    throw new Error(`no field ${name} in ${frame.fields.map((candidate) => candidate.name).join(', ')}`);
  }
  return field;
}

export const valuesOf = (frame: DataFrame, name: string): unknown[] => fieldNamed(frame, name).values;
