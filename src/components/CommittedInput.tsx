import React from 'react';
import { Input } from '@grafana/ui';

interface Props {
  id: string;
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  width?: number;
  type?: 'text' | 'number';
  min?: number;
}

/**
 * A text box that hands its value over on blur or Enter, not on every keystroke: each commit
 * runs the query, and half-typed names like `vp` would only cost the backend a query for nothing.
 * Keyed by the value so an outside change (another editor, a migrated query) shows at once.
 */
export function CommittedInput({ value, onCommit, ...input }: Props) {
  const commit = (text: string) => {
    if (text !== value) {
      onCommit(text);
    }
  };
  return (
    <Input
      {...input}
      key={value}
      defaultValue={value}
      onBlur={(event) => commit(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          commit(event.currentTarget.value);
        }
      }}
    />
  );
}
