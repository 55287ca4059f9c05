import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { VpnscopeOptions, VpnscopeQuery, VpnscopeSecureOptions } from './types';

// Annotations and variables register on the DataSource instance (its `annotations` and `variables`).
export const plugin = new DataSourcePlugin<DataSource, VpnscopeQuery, VpnscopeOptions, VpnscopeSecureOptions>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
