import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';
import { VARIABLE_TARGETS } from '../choices';
import type { DataSource } from '../datasource';
import { migrateVariableQuery } from '../migrate';
import type { VariableQuery, VpnscopeOptions, VpnscopeQuery } from '../types';
import { ChoiceField } from './ChoiceField';
import { FilterFields } from './FilterFields';

type Props = QueryEditorProps<DataSource, VpnscopeQuery, VpnscopeOptions, VariableQuery>;

/**
 * What a dashboard variable lists: server names, user names or app names seen in the time range,
 * optionally narrowed (users of `$server`, for instance).
 */
export function VariableQueryEditor({ query, onChange }: Props) {
  const current = migrateVariableQuery(query);
  return (
    <Stack direction="column" gap={0}>
      <ChoiceField
        label="List"
        choices={VARIABLE_TARGETS}
        value={current.variable}
        onChange={(variable) => onChange({ ...current, variable })}
      />
      <FilterFields query={current} onChange={onChange} />
    </Stack>
  );
}
