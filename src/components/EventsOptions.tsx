import React, { useId } from 'react';
import { InlineField, MultiCombobox } from '@grafana/ui';
import { choiceOptions, EVENT_KINDS } from '../choices';
import type { CompleteQuery, EventKind } from '../types';
import { LABEL_WIDTH } from './layout';

type EventsQuery = CompleteQuery<'events'>;

interface Props {
  query: EventsQuery;
  onChange: (query: EventsQuery) => void;
}

const KIND_OPTIONS = choiceOptions(EVENT_KINDS);

export function EventsOptions({ query, onChange }: Props) {
  const id = useId();
  return (
    <InlineField
      label="Kinds"
      labelWidth={LABEL_WIDTH}
      htmlFor={`${id}-kinds`}
      tooltip="Only these kinds of event; none picked means every kind."
    >
      <MultiCombobox<EventKind>
        id={`${id}-kinds`}
        width="auto"
        minWidth={24}
        maxWidth={80}
        placeholder="All kinds"
        options={KIND_OPTIONS}
        value={query.kinds}
        onChange={(options) => onChange({ ...query, kinds: options.map((option) => option.value) })}
      />
    </InlineField>
  );
}
