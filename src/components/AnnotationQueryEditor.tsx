import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrate';
import type { VpnscopeOptions, VpnscopeQuery } from '../types';
import { EventsOptions } from './EventsOptions';
import { FilterFields } from './FilterFields';

type Props = QueryEditorProps<DataSource, VpnscopeQuery, VpnscopeOptions>;

/** Annotations are always events, so this editor offers no query kind: only filters and kinds. */
export function AnnotationQueryEditor({ query, onChange }: Props) {
  const events = migrateQuery(query, 'events');
  return (
    <Stack direction="column" gap={0}>
      <FilterFields query={events} onChange={onChange} />
      <EventsOptions query={events} onChange={onChange} />
    </Stack>
  );
}
