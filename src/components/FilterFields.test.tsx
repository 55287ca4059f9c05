import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FilterFields } from './FilterFields';

describe('FilterFields', () => {
  it('takes a server variable when the field loses focus', async () => {
    const onChange = jest.fn();
    render(<FilterFields query={{ refId: 'A' }} onChange={onChange} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Server' }), '$server');
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', server: '$server' });
  });

  it('takes a user on Enter', async () => {
    const onChange = jest.fn();
    render(<FilterFields query={{ refId: 'A', server: 'vpn1' }} onChange={onChange} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'User' }), 'alice{Enter}');
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', server: 'vpn1', user: 'alice' });
  });

  it('drops a filter that is emptied, which means every user again', async () => {
    const onChange = jest.fn();
    render(<FilterFields query={{ refId: 'A', user: 'alice' }} onChange={onChange} />);
    const user = screen.getByRole('textbox', { name: 'User' });
    expect(user).toHaveValue('alice');
    await userEvent.clear(user);
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledWith({ refId: 'A' });
  });

  it('shows a filter changed from outside', () => {
    const { rerender } = render(<FilterFields query={{ refId: 'A', server: 'vpn1' }} onChange={jest.fn()} />);
    rerender(<FilterFields query={{ refId: 'A', server: 'vpn2' }} onChange={jest.fn()} />);
    expect(screen.getByRole('textbox', { name: 'Server' })).toHaveValue('vpn2');
  });
});
