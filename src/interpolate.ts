import type { QueryFilters } from './types';

/** `getTemplateSrv().replace` bound to a request's scoped variables. */
export type Interpolate = (text: string) => string;

/** The text options of the contract: the only places a `$variable` can sit. */
const TEXT_OPTIONS = ['server', 'user'] as const satisfies ReadonlyArray<keyof QueryFilters>;

/**
 * Resolves `$variables` in every text option. A filter that resolves to nothing is dropped, so
 * an empty variable means "all", as an empty filter does.
 */
export function interpolateQuery<Q extends QueryFilters>(query: Q, interpolate: Interpolate): Q {
  const resolved: Q = { ...query };
  for (const option of TEXT_OPTIONS) {
    const text = query[option];
    if (text === undefined) {
      continue;
    }
    const value = interpolate(text);
    if (value === '') {
      delete resolved[option];
    } else {
      resolved[option] = value;
    }
  }
  return resolved;
}
