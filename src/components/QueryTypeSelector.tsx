import React from 'react';
import { QUERY_KINDS } from '../choices';
import type { QueryKind } from '../types';
import { ChoiceField } from './ChoiceField';

interface Props {
  value: QueryKind;
  onChange: (kind: QueryKind) => void;
}

export function QueryTypeSelector({ value, onChange }: Props) {
  return (
    <ChoiceField
      label="Query"
      tooltip="Sessions: who is connected. Traffic: bytes over time or totals. Capacity: address pool use. App usage: which clients people run. Events: connects, failures, restarts."
      choices={QUERY_KINDS}
      value={value}
      onChange={onChange}
    />
  );
}
