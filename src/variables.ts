import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { from, map, type Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import type { VariableQuery, VpnscopeOptions, VpnscopeQuery } from './types';

/**
 * Dashboard variables through the VariableSupport API: @grafana/data 13.1 marks
 * DataSourcePlugin.setVariableQueryEditor deprecated in its favour. CustomVariableSupport rather
 * than Standard/DataSource support, because a variable here is its own small question (servers,
 * users or apps) with its own editor, not a panel query. The answer comes from metricFindQuery,
 * so Grafana's older callers and this API share one code path.
 */
export class VpnscopeVariableSupport extends CustomVariableSupport<
  DataSource,
  VariableQuery,
  VpnscopeQuery,
  VpnscopeOptions
> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<VariableQuery>): Observable<DataQueryResponse> {
    const [target] = request.targets;
    return from(this.datasource.metricFindQuery(target, { range: request.range, scopedVars: request.scopedVars })).pipe(
      map((values) => ({ data: values }))
    );
  }
}
