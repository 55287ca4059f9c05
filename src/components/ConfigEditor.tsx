import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { InlineField, Input, SecretInput, Stack } from '@grafana/ui';
import type { VpnscopeOptions, VpnscopeSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<VpnscopeOptions, VpnscopeSecureOptions>;

const LABEL_WIDTH = 14;

/**
 * Two settings: where the backend listens, and its API token. Both are used by Grafana's server
 * (the data-source proxy), never by the browser, so the URL is as Grafana's server sees it.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label="Backend URL"
        labelWidth={LABEL_WIDTH}
        htmlFor="vpnscope-backend-url"
        tooltip='Where "vpnscope serve" listens, as reached from the Grafana server (listen.host and listen.port in its config).'
      >
        <Input
          id="vpnscope-backend-url"
          width={40}
          placeholder="http://127.0.0.1:9234"
          value={jsonData.backendUrl ?? ''}
          onChange={(event) =>
            onOptionsChange({ ...options, jsonData: { ...jsonData, backendUrl: event.currentTarget.value.trim() } })
          }
        />
      </InlineField>
      <InlineField
        label="API token"
        labelWidth={LABEL_WIDTH}
        htmlFor="vpnscope-api-token"
        tooltip="The backend's api.token. Grafana stores it encrypted and adds it to each request itself; leave it empty if the backend has no token."
      >
        <SecretInput
          id="vpnscope-api-token"
          width={40}
          placeholder="token from the backend config"
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData?.apiToken ?? ''}
          onChange={(event) =>
            onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: event.currentTarget.value } })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, apiToken: false },
              secureJsonData: { ...secureJsonData, apiToken: '' },
            })
          }
        />
      </InlineField>
    </Stack>
  );
}
