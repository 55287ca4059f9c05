import React from 'react';
import { InlineField, RadioButtonGroup } from '@grafana/ui';
import { choiceOptions, type Choices } from '../choices';
import { LABEL_WIDTH } from './layout';

interface Props<T extends string> {
  label: string;
  tooltip?: string;
  choices: Choices<T>;
  value: T;
  onChange: (value: T) => void;
}

/** A labelled row of mutually exclusive buttons: every option here has a handful of values. */
export function ChoiceField<T extends string>({ label, tooltip, choices, value, onChange }: Props<T>) {
  return (
    <InlineField label={label} tooltip={tooltip} labelWidth={LABEL_WIDTH}>
      <RadioButtonGroup aria-label={label} options={choiceOptions(choices)} value={value} onChange={onChange} />
    </InlineField>
  );
}
