import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export type VariableValues = Record<string, string | string[]>;

/**
 * Stands in for Grafana's TemplateSrv: `$name` and `${name}` resolve from the request's scoped
 * variables first, then the dashboard's. Several values are formatted as Grafana formats them:
 * joined by commas for the `csv` format, and as the glob `{a,b}` when no format is given.
 */
export function fakeTemplateSrv(dashboardVariables: VariableValues): TemplateSrv {
  const replace = (text = '', scopedVars?: ScopedVars, format?: string) =>
    text.replace(/\$(\w+)|\$\{(\w+)\}/g, (match, plain: string | undefined, braced: string | undefined) => {
      const name = plain ?? braced ?? '';
      const value: string | string[] | undefined = scopedVars?.[name]?.value ?? dashboardVariables[name];
      if (value === undefined || !Array.isArray(value)) {
        return value ?? match;
      }
      return format === 'csv' ? value.join(',') : `{${value.join(',')}}`;
    });
  return { replace } as unknown as TemplateSrv;
}
