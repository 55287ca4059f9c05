import React, { useId } from 'react';
import { Combobox, InlineField, Stack } from '@grafana/ui';
import { APP_DIMENSIONS, APPS_FORMATS, choiceOptions } from '../choices';
import type { CompleteQuery } from '../types';
import { ChoiceField } from './ChoiceField';
import { LABEL_WIDTH } from './layout';

type AppsQuery = CompleteQuery<'apps'>;

interface Props {
  query: AppsQuery;
  onChange: (query: AppsQuery) => void;
}

const DIMENSION_OPTIONS = choiceOptions(APP_DIMENSIONS);

export function AppsOptions({ query, onChange }: Props) {
  const id = useId();
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label="Count by"
        labelWidth={LABEL_WIDTH}
        htmlFor={`${id}-dimension`}
        tooltip="What the clients report when they connect: the app (IV_GUI_VER), its version, the platform (IV_PLAT) or the OpenVPN library version (IV_VER)."
      >
        <Combobox
          id={`${id}-dimension`}
          width={24}
          options={DIMENSION_OPTIONS}
          value={query.dimension}
          onChange={(option) => onChange({ ...query, dimension: option.value })}
        />
      </InlineField>
      <ChoiceField
        label="Format"
        tooltip="Table: distinct users and sessions per value over the range. Time series: distinct users per value over time."
        choices={APPS_FORMATS}
        value={query.format}
        onChange={(format) => onChange({ ...query, format })}
      />
    </Stack>
  );
}
