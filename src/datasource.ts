import {
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  getDefaultTimeRange,
  type LegacyMetricFindQueryOptions,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  type TimeRange,
} from '@grafana/data';
import { getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { VariableFormatID } from '@grafana/schema';
import type * as Contract from '../backend/src/contract';
import { eventAnnotations } from './annotations';
import { toDataQueryResponse, toMetricFindValues } from './frames';
import { describeHealth } from './health';
import { interpolateQuery } from './interpolate';
import { migrateQuery, migrateVariableQuery, toBackendQuery } from './migrate';
import { QUERY_DEFAULTS, type QueryFilters, type VpnscopeOptions, type VpnscopeQuery } from './types';
import { VpnscopeVariableSupport } from './variables';
import { VpnscopeApi } from './vpnscopeApi';

/**
 * The vpnscope data source: a frontend data source that reaches the backend through Grafana's
 * data-source proxy (see VpnscopeApi), so the API token stays on Grafana's server.
 */
export class DataSource extends DataSourceApi<VpnscopeQuery, VpnscopeOptions> {
  readonly annotations = eventAnnotations;
  readonly variables = new VpnscopeVariableSupport(this);
  private readonly api: VpnscopeApi;
  private readonly backendUrl: string;

  /** @param templateSrv Grafana's own by default; tests hand in their own. */
  constructor(
    settings: DataSourceInstanceSettings<VpnscopeOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(settings);
    this.api = new VpnscopeApi(settings.url ?? '');
    this.backendUrl = settings.jsonData.backendUrl ?? '';
  }

  getDefaultQuery(): Partial<VpnscopeQuery> {
    return QUERY_DEFAULTS.sessions;
  }

  filterQuery(query: VpnscopeQuery): boolean {
    return !query.hide;
  }

  async query(request: DataQueryRequest<VpnscopeQuery>): Promise<DataQueryResponse> {
    const queries = request.targets
      .filter((query) => this.filterQuery(query))
      .map((query) => toBackendQuery(this.resolve(migrateQuery(query), request.scopedVars)));
    if (queries.length === 0) {
      return { data: [] };
    }
    const response = await this.api.query({
      range: wireRange(request.range),
      // The backend's schema wants whole milliseconds of at least 1.
      intervalMs: Math.max(1, Math.round(request.intervalMs)),
      ...(request.maxDataPoints ? { maxDataPoints: request.maxDataPoints } : {}),
      queries,
    });
    return toDataQueryResponse(response);
  }

  /** Values of a dashboard variable: server, user or app names (see VariableQueryEditor). */
  async metricFindQuery(query: unknown, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    const variable = toBackendQuery(this.resolve(migrateVariableQuery(query), options?.scopedVars));
    const response = toDataQueryResponse(
      await this.api.query({ range: wireRange(options?.range ?? getDefaultTimeRange()), queries: [variable] })
    );
    const [error] = response.errors ?? [];
    if (error) {
      throw new Error(error.message);
    }
    return toMetricFindValues(response.data);
  }

  /** Explore and "copy to another data source" want queries with variables already resolved. */
  interpolateVariablesInQueries(queries: VpnscopeQuery[], scopedVars: ScopedVars): VpnscopeQuery[] {
    return queries.map((query) => this.resolve(migrateQuery(query), scopedVars));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (this.backendUrl === '') {
      return {
        status: 'error',
        message: 'Set the backend URL: the address "vpnscope serve" listens on, e.g. http://127.0.0.1:9234.',
      };
    }
    try {
      return describeHealth(await this.api.health());
    } catch (error) {
      return { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * A multi-value or "All" variable lands in a filter as `a,b`, the list the backend's filters
   * take: without an explicit format Grafana would write the glob `{a,b}`.
   */
  private resolve<Q extends QueryFilters>(query: Q, scopedVars?: ScopedVars): Q {
    return interpolateQuery(query, (text) => this.templateSrv.replace(text, scopedVars, VariableFormatID.CSV));
  }
}

function wireRange(range: TimeRange): Contract.QueryRequest['range'] {
  return { from: range.from.valueOf(), to: range.to.valueOf() };
}
