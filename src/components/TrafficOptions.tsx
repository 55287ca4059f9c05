import React, { useId } from 'react';
import { InlineField, RadioButtonGroup, Stack } from '@grafana/ui';
import { choiceOptions, isChoice, TRAFFIC_DIRECTIONS, TRAFFIC_GROUPS, TRAFFIC_TOTALS, TRAFFIC_UNITS } from '../choices';
import type { CompleteQuery, TrafficTotals } from '../types';
import { ChoiceField } from './ChoiceField';
import { CommittedInput } from './CommittedInput';
import { LABEL_WIDTH } from './layout';

type TrafficQuery = CompleteQuery<'traffic'>;

interface Props {
  query: TrafficQuery;
  onChange: (query: TrafficQuery) => void;
}

/** `totals` absent means a time series; the picker needs a value for that, and it is this one. */
const SERIES = 'series';
const TOTALS_OPTIONS: Array<{ label: string; value: TrafficTotals | typeof SERIES }> = [
  { label: 'Time series', value: SERIES },
  ...choiceOptions(TRAFFIC_TOTALS),
];

export function TrafficOptions({ query, onChange }: Props) {
  const id = useId();
  const setTotals = (value: TrafficTotals | typeof SERIES) => {
    const { totals: _previous, ...series } = query;
    onChange(isChoice(TRAFFIC_TOTALS, value) ? { ...series, totals: value } : series);
  };
  const setTopN = (text: string) => {
    const topN = Number(text);
    onChange({ ...query, topN: Number.isInteger(topN) && topN > 0 ? topN : 0 });
  };
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label="Show"
        labelWidth={LABEL_WIDTH}
        tooltip="A time series of the traffic, or one total per user (or group) per calendar day, week or month (UTC)."
      >
        <RadioButtonGroup
          aria-label="Show"
          options={TOTALS_OPTIONS}
          value={query.totals ?? SERIES}
          onChange={setTotals}
        />
      </InlineField>
      {query.totals === undefined && (
        <ChoiceField
          label="Unit"
          tooltip="Bytes/s: the average rate in each interval. Bytes per interval: the volume moved in each interval."
          choices={TRAFFIC_UNITS}
          value={query.unit}
          onChange={(unit) => onChange({ ...query, unit })}
        />
      )}
      <ChoiceField
        label="Direction"
        tooltip="In: bytes the server received from clients. Out: bytes it sent to them."
        choices={TRAFFIC_DIRECTIONS}
        value={query.direction}
        onChange={(direction) => onChange({ ...query, direction })}
      />
      <ChoiceField
        label="Group by"
        choices={TRAFFIC_GROUPS}
        value={query.groupBy}
        onChange={(groupBy) => onChange({ ...query, groupBy })}
      />
      <InlineField
        label="Top N"
        labelWidth={LABEL_WIDTH}
        htmlFor={`${id}-top-n`}
        tooltip="Keep only the N busiest groups over the time range; 0 keeps them all."
      >
        <CommittedInput
          id={`${id}-top-n`}
          type="number"
          min={0}
          width={10}
          value={String(query.topN)}
          onCommit={setTopN}
        />
      </InlineField>
    </Stack>
  );
}
