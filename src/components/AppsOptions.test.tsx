import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '../testing/comboboxSupport';
import { migrateQuery } from '../migrate';
import { AppsOptions } from './AppsOptions';

describe('AppsOptions', () => {
  it('counts by app in a table for a new query', () => {
    render(<AppsOptions query={migrateQuery({ refId: 'A' }, 'apps')} onChange={jest.fn()} />);
    expect(screen.getByRole('combobox', { name: 'Count by' })).toHaveValue('App');
    expect(screen.getByRole('radio', { name: 'Table' })).toBeChecked();
  });

  it('counts by platform when the platform dimension is picked', async () => {
    const onChange = jest.fn();
    render(<AppsOptions query={migrateQuery({ refId: 'A' }, 'apps')} onChange={onChange} />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Count by' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Platform' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'apps', dimension: 'platform', format: 'table' });
  });

  it('asks for a time series of users per value', async () => {
    const onChange = jest.fn();
    render(<AppsOptions query={migrateQuery({ refId: 'A' }, 'apps')} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Time series' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'apps', dimension: 'app', format: 'timeseries' });
  });
});
