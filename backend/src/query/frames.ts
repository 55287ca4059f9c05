import type { DataFrameJSON, FieldConfigJSON, FieldSchemaJSON, FieldTypeName } from '../contract';

/**
 * Builders for the columnar DataFrameJSON that Grafana's `dataFrameFromJSON` reads. Every field
 * carries its unit and a display name, so panels look right without overrides.
 */

export interface Field {
  schema: FieldSchemaJSON;
  values: unknown[];
}

type FrameMeta = DataFrameJSON['schema']['meta'];

/** The Grafana unit ids vpnscope uses; `count` is a plain integer. */
export type Unit = 'bytes' | 'Bps' | 'percent' | 's' | 'dateTimeAsIso' | 'count';

const unitConfig: Record<Unit, FieldConfigJSON> = {
  bytes: { unit: 'bytes' },
  Bps: { unit: 'Bps' },
  percent: { unit: 'percent', min: 0, max: 100 },
  s: { unit: 's' },
  dateTimeAsIso: { unit: 'dateTimeAsIso' },
  count: { unit: 'none', decimals: 0 },
};

/** Config of a table column: its header, and its unit when it has one. */
export const shown = (header: string, unit?: Unit): FieldConfigJSON => ({
  ...(unit ? unitConfig[unit] : {}),
  displayName: header,
});

/**
 * Config of a time-series value field. The series name goes in `displayNameFromDS`: Grafana
 * shows it in legends and tooltips, yet a panel's own "Display name" still wins over it.
 */
export const series = (name: string, unit: Unit): FieldConfigJSON => ({ ...unitConfig[unit], displayNameFromDS: name });

export function field(
  name: string,
  type: FieldTypeName,
  values: unknown[],
  config?: FieldConfigJSON,
  labels?: Record<string, string>
): Field {
  return { schema: { name, type, ...(labels ? { labels } : {}), ...(config ? { config } : {}) }, values };
}

/** Storage speaks unix seconds, Grafana milliseconds: every time value leaves through here. */
export const millis = (unixSeconds: number): number => unixSeconds * 1000;

export function frame(fields: Field[], options: { name?: string; meta?: FrameMeta } = {}): DataFrameJSON {
  return {
    schema: {
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.meta ? { meta: options.meta } : {}),
      fields: fields.map((f) => f.schema),
    },
    data: { values: fields.map((f) => f.values) },
  };
}

/** One table column: how to read its value from a row, and how Grafana should show it. */
export interface Column<Row> {
  name: string;
  type: FieldTypeName;
  config: FieldConfigJSON;
  value: (row: Row) => unknown;
}

export function tableFrame<Row>(
  rows: readonly Row[],
  columns: ReadonlyArray<Column<Row>>,
  name?: string
): DataFrameJSON {
  return frame(
    columns.map((column) => field(column.name, column.type, rows.map(column.value), column.config)),
    { name, meta: { preferredVisualisationType: 'table' } }
  );
}
