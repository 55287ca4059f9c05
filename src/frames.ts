import {
  type DataFrame,
  type DataFrameJSON,
  type DataQueryError,
  type DataQueryResponse,
  dataFrameFromJSON,
  FieldType,
  type MetricFindValue,
} from '@grafana/data';
import type * as Contract from '../backend/src/contract';

/** Turns the backend's columnar frames into Grafana frames, each tagged with its query's refId. */
export function toDataQueryResponse(response: Contract.QueryResponse): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const [refId, result] of Object.entries(response.results)) {
    if (result.error) {
      errors.push({ refId, message: result.error });
    }
    for (const frame of result.frames) {
      data.push(dataFrameFromJSON(asGrafanaJSON({ ...frame, schema: { ...frame.schema, refId } })));
    }
  }
  return errors.length > 0 ? { data, errors } : { data };
}

/**
 * A variable query answers with one string field named `value`; any first string field will do
 * so that a frame with a different name still yields its values.
 */
export function toMetricFindValues(frames: DataFrame[]): MetricFindValue[] {
  return frames.flatMap((frame) => {
    const field =
      frame.fields.find((candidate) => candidate.name === 'value') ??
      frame.fields.find((candidate) => candidate.type === FieldType.string);
    if (!field) {
      return [];
    }
    return field.values
      .filter((value) => value !== null && value !== undefined)
      .map((value) => ({ text: String(value) }));
  });
}

/**
 * The contract spells field types with FieldType's own string values ('time', 'number', ...);
 * contract.ts is type-only and cannot import @grafana/data's enum, hence this one cast.
 */
function asGrafanaJSON(frame: Contract.DataFrameJSON): DataFrameJSON {
  return frame as unknown as DataFrameJSON;
}
