import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSource } from '../datasource';
import type { VariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

function renderEditor(query: unknown) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor
      datasource={{} as DataSource}
      query={query as VariableQuery}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  return onChange;
}

describe('VariableQueryEditor', () => {
  it('lists servers for a new variable', () => {
    renderEditor({ refId: 'A' });
    expect(screen.getByRole('radio', { name: 'Servers' })).toBeChecked();
  });

  it('reads a variable query saved as a plain string', () => {
    renderEditor('users');
    expect(screen.getByRole('radio', { name: 'Users' })).toBeChecked();
  });

  it('lists apps once "Apps" is picked', async () => {
    const onChange = renderEditor({ refId: 'A', queryType: 'variable', variable: 'servers' });
    await userEvent.click(screen.getByRole('radio', { name: 'Apps' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'variable', variable: 'apps' });
  });

  it('narrows users to a server variable', async () => {
    const onChange = renderEditor({ refId: 'A', queryType: 'variable', variable: 'users' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Server' }), '$server{Enter}');
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'variable', variable: 'users', server: '$server' });
  });
});
