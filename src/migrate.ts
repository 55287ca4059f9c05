import type { DataQuery } from '@grafana/schema';
import type * as Contract from '../backend/src/contract';
import {
  APP_DIMENSIONS,
  APPS_FORMATS,
  CAPACITY_FORMATS,
  CAPACITY_MEASURES,
  type Choices,
  EVENT_KINDS,
  isChoice,
  QUERY_KINDS,
  SESSION_STATES,
  TRAFFIC_DIRECTIONS,
  TRAFFIC_GROUPS,
  TRAFFIC_TOTALS,
  TRAFFIC_UNITS,
  VARIABLE_TARGETS,
} from './choices';
import {
  DEFAULT_VARIABLE_TARGET,
  type EventKind,
  type CompleteQuery,
  type KindDefaults,
  type KindOptions,
  QUERY_DEFAULTS,
  type QueryFilters,
  type QueryKind,
  type VariableQuery,
  type VpnscopeQuery,
} from './types';

type SavedQuery = DataQuery & Record<string, unknown>;

/** The backend refuses a larger top-N (query-schema.ts); clamping keeps an over-eager panel working. */
const MAX_TOP_N = 1000;

/**
 * Upgrades a saved query to the current model: a missing or unknown `queryType` becomes
 * `sessions`, an option value the editor cannot show falls back to its default, `topN` saved as
 * text becomes a number, and fields no kind knows are dropped. Given a `kind`, the query becomes
 * one of that kind whatever it was (switching kinds keeps the filters).
 */
export function migrateQuery<K extends QueryKind = QueryKind>(saved: DataQuery, kind?: K): CompleteQuery<K> {
  // A saved query may carry any field an earlier version wrote; each one is checked before use.
  const fields = saved as SavedQuery;
  const target = kind ?? (isChoice(QUERY_KINDS, fields.queryType) ? fields.queryType : 'sessions');
  // kindOptions(target) is of kind `target`, which is K whenever a kind was asked for.
  return { ...grafanaFields(fields), ...filters(fields), ...kindOptions(target, fields) } as CompleteQuery<K>;
}

/** Variable queries were plain strings (`servers`) in older editors; both shapes upgrade here. */
export function migrateVariableQuery(saved: unknown, refId = 'variable'): VariableQuery {
  const query: SavedQuery = typeof saved === 'object' && saved !== null ? { refId, ...saved } : { refId };
  const variable = typeof saved === 'string' ? saved.trim() : query.variable;
  return {
    ...grafanaFields(query),
    ...filters(query),
    queryType: 'variable',
    variable: isChoice(VARIABLE_TARGETS, variable) ? variable : DEFAULT_VARIABLE_TARGET,
  };
}

/** Only what the backend's contract knows: Grafana's own fields (hide, datasource, key) stay home. */
export function toBackendQuery(query: VpnscopeQuery | VariableQuery): Contract.VpnQuery {
  const { hide: _hide, key: _key, datasource: _datasource, ...backend } = query;
  return backend;
}

function grafanaFields(saved: SavedQuery): DataQuery {
  return {
    refId: saved.refId,
    ...(typeof saved.hide === 'boolean' ? { hide: saved.hide } : {}),
    ...(typeof saved.key === 'string' ? { key: saved.key } : {}),
    ...(saved.datasource ? { datasource: saved.datasource } : {}),
  };
}

function filters(saved: SavedQuery): QueryFilters {
  return {
    ...(typeof saved.server === 'string' && saved.server !== '' ? { server: saved.server } : {}),
    ...(typeof saved.user === 'string' && saved.user !== '' ? { user: saved.user } : {}),
  };
}

type AnyKindOptions = { [K in QueryKind]: KindOptions<K> & KindDefaults<K> }[QueryKind];

function kindOptions(kind: QueryKind, saved: SavedQuery): AnyKindOptions {
  switch (kind) {
    case 'sessions':
      return { queryType: kind, state: choice(SESSION_STATES, saved.state, QUERY_DEFAULTS.sessions.state) };
    case 'traffic': {
      const defaults = QUERY_DEFAULTS.traffic;
      return {
        queryType: kind,
        unit: choice(TRAFFIC_UNITS, saved.unit, defaults.unit),
        direction: choice(TRAFFIC_DIRECTIONS, saved.direction, defaults.direction),
        groupBy: choice(TRAFFIC_GROUPS, saved.groupBy, defaults.groupBy),
        topN: topN(saved.topN, defaults.topN),
        ...(isChoice(TRAFFIC_TOTALS, saved.totals) ? { totals: saved.totals } : {}),
      };
    }
    case 'capacity':
      return {
        queryType: kind,
        format: choice(CAPACITY_FORMATS, saved.format, QUERY_DEFAULTS.capacity.format),
        measure: choice(CAPACITY_MEASURES, saved.measure, QUERY_DEFAULTS.capacity.measure),
      };
    case 'apps':
      return {
        queryType: kind,
        dimension: choice(APP_DIMENSIONS, saved.dimension, QUERY_DEFAULTS.apps.dimension),
        format: choice(APPS_FORMATS, saved.format, QUERY_DEFAULTS.apps.format),
      };
    case 'events':
      return { queryType: kind, kinds: eventKinds(saved.kinds) };
  }
}

function choice<T extends string>(choices: Choices<T>, value: unknown, fallback: T): T {
  return isChoice(choices, value) ? value : fallback;
}

function topN(value: unknown, fallback: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    return fallback;
  }
  return Math.min(MAX_TOP_N, Math.round(number));
}

/** Kept in the editor's order and without repeats: the backend wants a set (`uniqueItems`). */
function eventKinds(value: unknown): EventKind[] {
  const listed = typeof value === 'string' ? value.split(',').map((kind) => kind.trim()) : value;
  if (!Array.isArray(listed)) {
    return [];
  }
  return (Object.keys(EVENT_KINDS) as EventKind[]).filter((kind) => listed.includes(kind));
}
