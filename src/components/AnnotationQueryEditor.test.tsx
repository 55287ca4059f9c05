import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '../testing/comboboxSupport';
import type { DataSource } from '../datasource';
import type { VpnscopeQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

describe('AnnotationQueryEditor', () => {
  it('offers only event filters, whatever kind the saved target had', () => {
    const target = { refId: 'Anno', queryType: 'traffic', server: 'vpn1' } as VpnscopeQuery;
    render(
      <AnnotationQueryEditor datasource={{} as DataSource} query={target} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    expect(screen.queryByRole('radio', { name: 'Traffic' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Server' })).toHaveValue('vpn1');
    expect(screen.getByRole('combobox', { name: 'Kinds' })).toBeInTheDocument();
  });

  it('narrows the annotations to the picked kinds', async () => {
    const onChange = jest.fn();
    const target: VpnscopeQuery = { refId: 'Anno', queryType: 'events', kinds: [] };
    render(
      <AnnotationQueryEditor datasource={{} as DataSource} query={target} onChange={onChange} onRunQuery={jest.fn()} />
    );
    await userEvent.click(screen.getByRole('combobox', { name: 'Kinds' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Server restart' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'Anno', queryType: 'events', kinds: ['server_restart'] });
  });
});
