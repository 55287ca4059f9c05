import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrate';
import type { CompleteQuery, VpnscopeOptions, VpnscopeQuery } from '../types';
import { AppsOptions } from './AppsOptions';
import { CapacityOptions } from './CapacityOptions';
import { EventsOptions } from './EventsOptions';
import { FilterFields } from './FilterFields';
import { QueryTypeSelector } from './QueryTypeSelector';
import { SessionsOptions } from './SessionsOptions';
import { TrafficOptions } from './TrafficOptions';

type Props = QueryEditorProps<DataSource, VpnscopeQuery, VpnscopeOptions>;

/**
 * The panel query editor: what to ask (the kind), about whom (server and user), and the options
 * of that kind. Every change runs the query, as Grafana's own editors do; text boxes change on
 * blur or Enter. A query saved by an older version is shown migrated.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const current = migrateQuery(query);
  const change = (next: VpnscopeQuery) => {
    onChange(next);
    onRunQuery();
  };
  return (
    <Stack direction="column" gap={0}>
      <QueryTypeSelector value={current.queryType} onChange={(kind) => change(migrateQuery(current, kind))} />
      <FilterFields query={current} onChange={change} />
      <KindOptions query={current} onChange={change} />
    </Stack>
  );
}

function KindOptions({ query, onChange }: { query: CompleteQuery; onChange: (query: VpnscopeQuery) => void }) {
  switch (query.queryType) {
    case 'sessions':
      return <SessionsOptions query={query} onChange={onChange} />;
    case 'traffic':
      return <TrafficOptions query={query} onChange={onChange} />;
    case 'capacity':
      return <CapacityOptions query={query} onChange={onChange} />;
    case 'apps':
      return <AppsOptions query={query} onChange={onChange} />;
    case 'events':
      return <EventsOptions query={query} onChange={onChange} />;
  }
}
