import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { migrateQuery } from '../migrate';
import { CapacityOptions } from './CapacityOptions';

const newQuery = () => migrateQuery({ refId: 'A' }, 'capacity');

describe('CapacityOptions', () => {
  it('shows pool use in percent over time for a new query', () => {
    render(<CapacityOptions query={newQuery()} onChange={jest.fn()} />);
    expect(screen.getByRole('radio', { name: 'Percent used' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Time series' })).toBeChecked();
  });

  it('asks for used and size counts', async () => {
    const onChange = jest.fn();
    render(<CapacityOptions query={newQuery()} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Used and size' }));
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'capacity',
      format: 'timeseries',
      measure: 'counts',
    });
  });

  it('asks for the current value as a table', async () => {
    const onChange = jest.fn();
    render(<CapacityOptions query={newQuery()} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Current (table)' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'capacity', format: 'table', measure: 'percent' });
  });
});
