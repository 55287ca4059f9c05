import React from 'react';
import { Stack } from '@grafana/ui';
import { CAPACITY_FORMATS, CAPACITY_MEASURES } from '../choices';
import type { CompleteQuery } from '../types';
import { ChoiceField } from './ChoiceField';

type CapacityQuery = CompleteQuery<'capacity'>;

interface Props {
  query: CapacityQuery;
  onChange: (query: CapacityQuery) => void;
}

export function CapacityOptions({ query, onChange }: Props) {
  return (
    <Stack direction="column" gap={0}>
      <ChoiceField
        label="Measure"
        tooltip="Percent used of each address pool, or the number of addresses used next to the pool size."
        choices={CAPACITY_MEASURES}
        value={query.measure}
        onChange={(measure) => onChange({ ...query, measure })}
      />
      <ChoiceField
        label="Format"
        tooltip="Time series over the range, or a table of the current value per server and pool."
        choices={CAPACITY_FORMATS}
        value={query.format}
        onChange={(format) => onChange({ ...query, format })}
      />
    </Stack>
  );
}
