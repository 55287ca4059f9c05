import type {
  AppDimension,
  AppsFormat,
  CapacityFormat,
  CapacityMeasure,
  EventKind,
  QueryKind,
  SessionState,
  TrafficDirection,
  TrafficGroupBy,
  TrafficTotals,
  TrafficUnit,
  VariableTarget,
} from './types';

/*
 * The values each option accepts, with the words the editor shows for them. Keyed by the
 * contract's unions, so a value added to contract.ts fails the build until it gets a label here,
 * and the migration accepts exactly what the editor can show.
 */
export type Choices<T extends string> = Readonly<Record<T, string>>;

export const QUERY_KINDS: Choices<QueryKind> = {
  sessions: 'Sessions',
  traffic: 'Traffic',
  capacity: 'Capacity',
  apps: 'App usage',
  events: 'Events',
};

export const SESSION_STATES: Choices<SessionState> = { live: 'Live now', all: 'All in range' };

export const TRAFFIC_UNITS: Choices<TrafficUnit> = { rate: 'Bytes/s', volume: 'Bytes per interval' };
export const TRAFFIC_DIRECTIONS: Choices<TrafficDirection> = { both: 'Both', in: 'In', out: 'Out' };
export const TRAFFIC_GROUPS: Choices<TrafficGroupBy> = { server: 'Server', user: 'User', none: 'None' };
export const TRAFFIC_TOTALS: Choices<TrafficTotals> = { day: 'Per day', week: 'Per week', month: 'Per month' };

export const CAPACITY_MEASURES: Choices<CapacityMeasure> = { percent: 'Percent used', counts: 'Used and size' };
export const CAPACITY_FORMATS: Choices<CapacityFormat> = { timeseries: 'Time series', table: 'Current (table)' };

export const APP_DIMENSIONS: Choices<AppDimension> = {
  app: 'App',
  app_version: 'App version',
  platform: 'Platform',
  client_version: 'Client version',
};
export const APPS_FORMATS: Choices<AppsFormat> = { table: 'Table', timeseries: 'Time series' };

export const EVENT_KINDS: Choices<EventKind> = {
  connect: 'Connect',
  disconnect: 'Disconnect',
  auth_failure: 'Auth failure',
  tls_error: 'TLS error',
  server_restart: 'Server restart',
  session_killed: 'Session killed',
  source_error: 'Source error',
  source_down: 'Source down',
  source_up: 'Source up',
};

export const VARIABLE_TARGETS: Choices<VariableTarget> = { servers: 'Servers', users: 'Users', apps: 'Apps' };

export function isChoice<T extends string>(choices: Choices<T>, value: unknown): value is T {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(choices, value);
}

/** The `{label, value}` list @grafana/ui pickers take, in the order the choices are written. */
export function choiceOptions<T extends string>(choices: Choices<T>): Array<{ label: string; value: T }> {
  return (Object.keys(choices) as T[]).map((value) => ({ label: choices[value], value }));
}
