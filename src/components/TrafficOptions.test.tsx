import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { migrateQuery } from '../migrate';
import { TrafficOptions } from './TrafficOptions';

const newQuery = () => migrateQuery({ refId: 'A' }, 'traffic');
const base = { refId: 'A', queryType: 'traffic', unit: 'rate', direction: 'both', groupBy: 'server', topN: 0 };

describe('TrafficOptions', () => {
  it('shows a rate series of both directions per server, all groups, for a new query', () => {
    render(<TrafficOptions query={newQuery()} onChange={jest.fn()} />);
    expect(screen.getByRole('radio', { name: 'Time series' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Bytes/s' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Both' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Server' })).toBeChecked();
    expect(screen.getByRole('spinbutton', { name: 'Top N' })).toHaveValue(0);
  });

  it.each([
    ['Bytes per interval', { unit: 'volume' }],
    ['In', { direction: 'in' }],
    ['Out', { direction: 'out' }],
    ['User', { groupBy: 'user' }],
    ['None', { groupBy: 'none' }],
    ['Per month', { totals: 'month' }],
  ])('changes the query when "%s" is picked', async (label, change) => {
    const onChange = jest.fn();
    render(<TrafficOptions query={newQuery()} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: label }));
    expect(onChange).toHaveBeenCalledWith({ ...base, ...change });
  });

  it('keeps only the busiest groups once a top N is entered', async () => {
    const onChange = jest.fn();
    render(<TrafficOptions query={newQuery()} onChange={onChange} />);
    const topN = screen.getByRole('spinbutton', { name: 'Top N' });
    await userEvent.clear(topN);
    await userEvent.type(topN, '10{Enter}');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith({ ...base, topN: 10 });
  });

  it('hides the unit for totals, which are volumes, and goes back to a series', async () => {
    const onChange = jest.fn();
    render(<TrafficOptions query={{ ...newQuery(), totals: 'week' }} onChange={onChange} />);
    expect(screen.getByRole('radio', { name: 'Per week' })).toBeChecked();
    expect(screen.queryByRole('radio', { name: 'Bytes/s' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Time series' }));
    expect(onChange).toHaveBeenCalledWith(base);
  });
});
