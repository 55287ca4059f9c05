import React from 'react';
import { SESSION_STATES } from '../choices';
import type { CompleteQuery } from '../types';
import { ChoiceField } from './ChoiceField';

interface Props {
  query: CompleteQuery<'sessions'>;
  onChange: (query: CompleteQuery<'sessions'>) => void;
}

export function SessionsOptions({ query, onChange }: Props) {
  return (
    <ChoiceField
      label="Sessions"
      tooltip="Live now: sessions open at this moment. All in range: every session that overlaps the dashboard's time range."
      choices={SESSION_STATES}
      value={query.state}
      onChange={(state) => onChange({ ...query, state })}
    />
  );
}
