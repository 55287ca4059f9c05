import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSourceSettings } from '@grafana/data';
import type { VpnscopeOptions, VpnscopeSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<VpnscopeOptions, VpnscopeSecureOptions>;

/** What Grafana hands a newly added data source (without the deprecated `database` field). */
function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'vpnscope',
    orgId: 1,
    name: 'vpnscope',
    type: 'vpnscope-vpnscope-datasource',
    typeName: 'vpnscope',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...overrides,
  } as Settings;
}

/** Holds the settings as Grafana's page does, so typing builds on what was typed before. */
function renderEditor(initial: Settings) {
  const changes: Settings[] = [];
  function Page() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Page />);
  return changes;
}

describe('ConfigEditor', () => {
  it('stores the backend URL in jsonData', async () => {
    const changes = renderEditor(settings());
    await userEvent.type(screen.getByRole('textbox', { name: 'Backend URL' }), 'http://127.0.0.1:9234');
    expect(changes.at(-1)?.jsonData).toEqual({ backendUrl: 'http://127.0.0.1:9234' });
    expect(changes.at(-1)?.secureJsonData).toBeUndefined();
  });

  it('stores the API token in secureJsonData only', async () => {
    const changes = renderEditor(settings({ jsonData: { backendUrl: 'http://127.0.0.1:9234' } }));
    await userEvent.type(screen.getByLabelText('API token'), 's3cret');
    expect(changes.at(-1)?.secureJsonData).toEqual({ apiToken: 's3cret' });
    expect(changes.at(-1)?.jsonData).toEqual({ backendUrl: 'http://127.0.0.1:9234' });
  });

  it('resets a configured token so a new one can be entered', async () => {
    const changes = renderEditor(settings({ secureJsonFields: { apiToken: true } }));
    expect(screen.getByLabelText('API token')).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(changes.at(-1)?.secureJsonFields).toEqual({ apiToken: false });
    expect(changes.at(-1)?.secureJsonData).toEqual({ apiToken: '' });
    expect(screen.getByLabelText('API token')).toBeEnabled();
  });
});
