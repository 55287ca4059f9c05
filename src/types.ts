import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import type * as Contract from '../backend/src/contract';

/*
 * Each query kind is the backend's own type (contract.ts) combined with Grafana's DataQuery, so
 * the editors, the data source and the wire format share one definition: a field added to the
 * contract shows up here, and a kind the editor forgets to handle fails the build.
 */
export type SessionsQuery = DataQuery & Contract.SessionsQuery;
export type TrafficQuery = DataQuery & Contract.TrafficQuery;
export type CapacityQuery = DataQuery & Contract.CapacityQuery;
export type AppsQuery = DataQuery & Contract.AppsQuery;
export type EventsQuery = DataQuery & Contract.EventsQuery;

/** What a panel, Explore or an annotation asks the data source for. */
export type VpnscopeQuery = SessionsQuery | TrafficQuery | CapacityQuery | AppsQuery | EventsQuery;
export type QueryKind = VpnscopeQuery['queryType'];
export type QueryOfKind<K extends QueryKind> = Extract<VpnscopeQuery, { queryType: K }>;

/** A dashboard variable's query: the list of servers, users or apps. */
export type VariableQuery = DataQuery & Contract.VariableQuery;
export type VariableTarget = Contract.VariableQuery['variable'];

export type SessionState = NonNullable<Contract.SessionsQuery['state']>;
export type TrafficUnit = NonNullable<Contract.TrafficQuery['unit']>;
export type TrafficDirection = Contract.TrafficDirection;
export type TrafficGroupBy = NonNullable<Contract.TrafficQuery['groupBy']>;
export type TrafficTotals = NonNullable<Contract.TrafficQuery['totals']>;
export type CapacityFormat = NonNullable<Contract.CapacityQuery['format']>;
export type CapacityMeasure = NonNullable<Contract.CapacityQuery['measure']>;
export type AppDimension = Contract.AppDimension;
export type AppsFormat = NonNullable<Contract.AppsQuery['format']>;
export type EventKind = Contract.EventKind;

/** The filters every kind shares; both accept `$variables`. */
export type QueryFilters = Pick<Contract.BaseQuery, 'server' | 'user'>;

/** A kind's own options, without refId and the shared filters. */
export type KindOptions<K extends QueryKind> = Omit<QueryOfKind<K>, keyof DataQuery | keyof QueryFilters> & {
  queryType: K;
};

/** Every option of a kind set; `totals` alone stays optional, since leaving it out asks for a series. */
export type KindDefaults<K extends QueryKind> = Required<Omit<KindOptions<K>, 'totals'>>;

/** A query as migrateQuery returns it: the editors can show each option without guessing. */
export type CompleteQuery<K extends QueryKind = QueryKind> = K extends QueryKind
  ? QueryOfKind<K> & KindDefaults<K>
  : never;

/**
 * What a new query of each kind starts with: choices that show data on a fresh panel (live
 * sessions, rate per server, pool usage in percent, users per app, every event kind).
 * `topN: 0` and an empty `kinds` mean "all", as in the contract; absent `totals` means a series.
 */
export const QUERY_DEFAULTS: { [K in QueryKind]: KindDefaults<K> } = {
  sessions: { queryType: 'sessions', state: 'live' },
  traffic: { queryType: 'traffic', unit: 'rate', direction: 'both', groupBy: 'server', topN: 0 },
  capacity: { queryType: 'capacity', format: 'timeseries', measure: 'percent' },
  apps: { queryType: 'apps', dimension: 'app', format: 'table' },
  events: { queryType: 'events', kinds: [] },
};

export const DEFAULT_VARIABLE_TARGET: VariableTarget = 'servers';

/** Settings of one data source instance, readable by every Grafana user who can query it. */
export interface VpnscopeOptions extends DataSourceJsonData {
  /** Where `vpnscope serve` listens, as Grafana's server reaches it, e.g. http://127.0.0.1:9234. */
  backendUrl?: string;
}

/** Encrypted by Grafana; only its data-source proxy reads it (the `api` route in plugin.json). */
export interface VpnscopeSecureOptions {
  apiToken?: string;
}
