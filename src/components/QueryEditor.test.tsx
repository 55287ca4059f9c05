import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '../testing/comboboxSupport';
import type { DataSource } from '../datasource';
import type { VpnscopeQuery } from '../types';
import { QueryEditor } from './QueryEditor';

function renderEditor(query: object) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      datasource={{} as DataSource}
      query={query as VpnscopeQuery}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it.each([
    ['sessions', 'Live now'],
    ['traffic', 'Bytes/s'],
    ['capacity', 'Percent used'],
    ['apps', 'Table'],
  ])('shows the %s options', (queryType, checkedChoice) => {
    renderEditor({ refId: 'A', queryType });
    expect(screen.getByRole('radio', { name: checkedChoice })).toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Server' })).toBeInTheDocument();
  });

  it('shows the events options', () => {
    renderEditor({ refId: 'A', queryType: 'events' });
    expect(screen.getByRole('radio', { name: 'Events' })).toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Kinds' })).toBeInTheDocument();
  });

  it('treats a query without a kind as live sessions', () => {
    renderEditor({ refId: 'A' });
    expect(screen.getByRole('radio', { name: 'Sessions' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Live now' })).toBeChecked();
  });

  it('shows a traffic query saved by an older version with its values migrated', () => {
    renderEditor({ refId: 'A', queryType: 'traffic', topN: '5', unit: 'bits', direction: 'sideways', groupBy: 'user' });
    expect(screen.getByRole('spinbutton', { name: 'Top N' })).toHaveValue(5);
    expect(screen.getByRole('radio', { name: 'Bytes/s' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Both' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'User' })).toBeChecked();
  });

  it('switches kind with that kind’s defaults, keeps the filters and runs the query', async () => {
    const { onChange, onRunQuery } = renderEditor({
      refId: 'A',
      queryType: 'sessions',
      server: '$server',
      state: 'all',
    });
    await userEvent.click(screen.getByRole('radio', { name: 'Capacity' }));
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      server: '$server',
      queryType: 'capacity',
      format: 'timeseries',
      measure: 'percent',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('runs the query after an option changes', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'traffic' });
    await userEvent.click(screen.getByRole('radio', { name: 'Out' }));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'traffic', direction: 'out' }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});
