import type { DataFrameJSON } from '../../../backend/src/contract';
import type { Panel } from './bundle';

/** The names, labels and patterns by which a panel's options pick fields out of its frames. */
export interface FieldReferences {
  /** Field names or display names the panel expects in its data. */
  names: string[];
  /** Names the panel's own transformations add (so a later step may refer to them). */
  produced: string[];
  /** Label names `${__field.labels.X}` reads. */
  labels: string[];
  /** `reduceOptions.fields` patterns of stat, gauge, bar gauge and pie panels. */
  patterns: RegExp[];
}

/** Grafana's `/pattern/flags` spelling of a regular expression, as a JS RegExp. */
export function grafanaRegExp(text: string): RegExp {
  const match = /^\/(.*)\/(\w*)$/.exec(text);
  if (!match) {
    throw new Error(`not a /regexp/: ${text}`);
  }
  return new RegExp(match[1], match[2]);
}

const namedGroups = (regExp: RegExp): string[] => [...regExp.source.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]);

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  return value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];
}

export function fieldReferences(panel: Panel): FieldReferences {
  const refs: FieldReferences = { names: [], produced: [], labels: [], patterns: [] };
  const texts = stringsIn(panel.fieldConfig);
  texts.forEach((text) => {
    refs.names.push(...[...text.matchAll(/\$\{__data\.fields\.(\w+)\}/g)].map((m) => m[1]));
    refs.labels.push(...[...text.matchAll(/\$\{__field\.labels\.(\w+)\}/g)].map((m) => m[1]));
  });
  for (const override of panel.fieldConfig?.overrides ?? []) {
    if (override.matcher.id === 'byName') {
      refs.names.push(override.matcher.options);
    }
  }
  for (const { id, options } of panel.transformations ?? []) {
    switch (id) {
      case 'extractFields':
        refs.names.push(options.source);
        refs.produced.push(...namedGroups(grafanaRegExp(options.regExp)));
        break;
      case 'calculateField':
        refs.names.push(options.binary.left.matcher.options, options.binary.right.matcher.options);
        refs.produced.push(options.alias);
        break;
      case 'groupBy':
        for (const [name, field] of Object.entries<{ aggregations: string[] }>(options.fields)) {
          refs.names.push(name);
          refs.produced.push(...field.aggregations.map((aggregation) => `${name} (${aggregation})`));
        }
        break;
      case 'organize':
        refs.names.push(...Object.keys(options.excludeByName ?? {}));
        break;
      default:
        throw new Error(`panel "${panel.title}": no check for transformation ${id} yet`);
    }
  }
  refs.names.push(...(panel.options?.sortBy ?? []).map((sort: { displayName: string }) => sort.displayName));
  const fields = panel.options?.reduceOptions?.fields;
  if (fields) {
    refs.patterns.push(grafanaRegExp(fields));
  }
  return refs;
}

/** Each field's name and display name, as Grafana matches fields by either. */
export const namesIn = (frames: DataFrameJSON[]): Set<string> =>
  new Set(
    frames.flatMap((frame) =>
      frame.schema.fields.flatMap((field) => [field.name, field.config?.displayName].filter((n): n is string => !!n))
    )
  );

export const labelsIn = (frames: DataFrameJSON[]): Set<string> =>
  new Set(frames.flatMap((frame) => frame.schema.fields.flatMap((field) => Object.keys(field.labels ?? {}))));
