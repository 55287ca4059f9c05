import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { migrateQuery } from '../migrate';
import { SessionsOptions } from './SessionsOptions';

describe('SessionsOptions', () => {
  it('shows live sessions as the choice of a new query', () => {
    render(<SessionsOptions query={migrateQuery({ refId: 'A' }, 'sessions')} onChange={jest.fn()} />);
    expect(screen.getByRole('radio', { name: 'Live now' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'All in range' })).not.toBeChecked();
  });

  it('asks for every session in the range when "All in range" is picked', async () => {
    const onChange = jest.fn();
    const query = { ...migrateQuery({ refId: 'A' }, 'sessions'), server: 'vpn1' };
    render(<SessionsOptions query={query} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'All in range' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', server: 'vpn1', queryType: 'sessions', state: 'all' });
  });
});
