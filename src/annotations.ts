import type { AnnotationSupport } from '@grafana/data';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { migrateQuery } from './migrate';
import { QUERY_DEFAULTS, type VpnscopeQuery } from './types';

/**
 * Events as Grafana annotations. The backend's events frame already has the field names Grafana
 * maps by default (time, timeEnd, title, text, tags), so no processEvents is needed.
 */
export const eventAnnotations: AnnotationSupport<VpnscopeQuery> = {
  QueryEditor: AnnotationQueryEditor,
  getDefaultQuery: () => QUERY_DEFAULTS.events,
  // An annotation saved before it had a target, or with another kind, still runs as events.
  prepareQuery: (annotation) => migrateQuery({ refId: 'Anno', ...annotation.target }, 'events'),
};
