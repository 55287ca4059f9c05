import React, { useId } from 'react';
import { InlineField, Stack } from '@grafana/ui';
import type { QueryFilters } from '../types';
import { CommittedInput } from './CommittedInput';
import { LABEL_WIDTH } from './layout';

interface Props<Q extends QueryFilters> {
  query: Q;
  onChange: (query: Q) => void;
}

/** Server and user filters, shared by every query kind; both take exact names or `$variables`. */
export function FilterFields<Q extends QueryFilters>({ query, onChange }: Props<Q>) {
  const id = useId();
  const set = (option: keyof QueryFilters, text: string) => {
    const next = { ...query };
    if (text.trim() === '') {
      delete next[option];
    } else {
      next[option] = text.trim();
    }
    onChange(next);
  };
  return (
    <Stack gap={0} wrap="wrap">
      <InlineField
        label="Server"
        labelWidth={LABEL_WIDTH}
        htmlFor={`${id}-server`}
        tooltip="Exact server name or a $variable; empty means every server"
      >
        <CommittedInput
          id={`${id}-server`}
          value={query.server ?? ''}
          placeholder="all servers"
          width={24}
          onCommit={(text) => set('server', text)}
        />
      </InlineField>
      <InlineField
        label="User"
        labelWidth={LABEL_WIDTH}
        htmlFor={`${id}-user`}
        tooltip="Exact user name (the certificate's common name or the PPTP login) or a $variable; empty means every user"
      >
        <CommittedInput
          id={`${id}-user`}
          value={query.user ?? ''}
          placeholder="all users"
          width={24}
          onCommit={(text) => set('user', text)}
        />
      </InlineField>
    </Stack>
  );
}
