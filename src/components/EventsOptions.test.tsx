import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '../testing/comboboxSupport';
import { migrateQuery } from '../migrate';
import { EventsOptions } from './EventsOptions';

describe('EventsOptions', () => {
  it('lists every kind when none is picked', () => {
    render(<EventsOptions query={migrateQuery({ refId: 'A' }, 'events')} onChange={jest.fn()} />);
    expect(screen.getByRole('combobox', { name: 'Kinds' })).toHaveAttribute('placeholder', 'All kinds');
  });

  it('adds a kind to the filter', async () => {
    const onChange = jest.fn();
    const query = { ...migrateQuery({ refId: 'A' }, 'events'), kinds: ['server_restart' as const] };
    render(<EventsOptions query={query} onChange={onChange} />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Kinds' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Auth failure' }));
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'events',
      kinds: ['server_restart', 'auth_failure'],
    });
  });
});
