import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { queryRequestSchema } from '../../backend/src/api/query-schema';
import { migrateQuery, migrateVariableQuery, toBackendQuery } from '../../src/migrate';
import {
  bundledDashboards,
  DASHBOARD_DIR,
  PLUGIN_ID,
  panelsOf,
  provisionedDataSources,
  queriesOf,
  readJson,
  REPO,
  resolveUid,
  type Dashboard,
  type Target,
} from './support/bundle';

const dashboards = bundledDashboards();
const vpnscopeQueries = dashboards.flatMap(queriesOf).filter((query) => query.datasource.type === PLUGIN_ID);

/** Every string anywhere in a value, for links that may sit in defaults, overrides or options. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(stringsIn);
  }
  return [];
}

const withoutGrafanaFields = ({ datasource: _datasource, ...query }: Target) => query;

describe('the bundled dashboards', () => {
  it('are the four the issue asks for, each with a unique uid and the vpnscope tag', () => {
    expect(dashboards.map((d) => d.title).sort()).toEqual(['VPN capacity', 'VPN overview', 'VPN security', 'VPN user']);
    const uids = dashboards.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    dashboards.forEach((d) => expect(d.tags).toContain('vpnscope'));
  });

  it('give every panel a unique id within its dashboard', () => {
    for (const dashboard of dashboards) {
      const ids = panelsOf(dashboard).map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('link each dashboard to all the others', () => {
    for (const dashboard of dashboards) {
      const linked = new Set(
        dashboard.links
          .filter((link) => link.type === 'dashboards')
          .flatMap((link) => dashboards.filter((d) => (link.tags ?? []).every((tag) => d.tags.includes(tag))))
          .map((d) => d.uid)
      );
      expect([...linked].sort()).toEqual(dashboards.map((d) => d.uid).sort());
    }
  });

  it('point every data link at a bundled dashboard, and set only variables that dashboard has', () => {
    const byUid = new Map(dashboards.map((d) => [d.uid, d]));
    const links = dashboards.flatMap((d) => panelsOf(d).flatMap((panel) => stringsIn(panel.fieldConfig)));
    const dashboardLinks = links.filter((text) => text.includes('/d/'));
    expect(dashboardLinks.length).toBeGreaterThan(0);
    for (const link of dashboardLinks) {
      const uid = /\/d\/([\w-]+)/.exec(link)?.[1];
      const target = byUid.get(uid ?? '');
      expect(target?.uid).toBe(uid);
      for (const [, variable] of link.matchAll(/[?&]var-(\w+)=/g)) {
        expect(target?.templating.list.map((v) => v.name)).toContain(variable);
      }
    }
  });

  it('use only provisioned data sources, by uid and type', () => {
    const provisioned = new Map(provisionedDataSources().map((ds) => [ds.uid, ds.type]));
    for (const dashboard of dashboards) {
      for (const query of queriesOf(dashboard)) {
        const uid = resolveUid(dashboard, query.datasource.uid);
        expect({ where: `${dashboard.file} ${query.where}`, type: provisioned.get(uid ?? '') }).toEqual({
          where: `${dashboard.file} ${query.where}`,
          type: query.datasource.type,
        });
      }
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'datasource')) {
        expect(provisioned.get(variable.current?.value ?? '')).toBe(variable.query);
      }
    }
  });

  it('ship inside the plugin: src/plugin.json includes each one, and the included file is the provisioned file', () => {
    const includes: Array<{ type: string; name: string; path: string }> = readJson('src/plugin.json').includes;
    const shipped = includes.filter((include) => include.type === 'dashboard');
    expect(shipped.map((include) => path.basename(include.path)).sort()).toEqual(dashboards.map((d) => d.file));
    for (const include of shipped) {
      const inPlugin = path.join(REPO, 'src', include.path);
      const provisioned = path.join(DASHBOARD_DIR, path.basename(include.path));
      expect(fs.realpathSync(inPlugin)).toBe(fs.realpathSync(provisioned));
      const dashboard = dashboards.find((d) => d.file === path.basename(include.path)) as Dashboard;
      expect(include.name).toBe(dashboard.title);
    }
  });

  describe('vpnscope queries', () => {
    const ajv = new Ajv({ discriminator: true, allErrors: true });
    const validateRequest = ajv.compile(queryRequestSchema);

    it.each(vpnscopeQueries.map((query) => [`${query.dashboard.file} ${query.where}`, query.target] as const))(
      '%s is valid for the backend',
      (_where, target) => {
        const valid = validateRequest({ range: { from: 0, to: 1 }, queries: [target] });
        expect(validateRequest.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
    );

    it.each(vpnscopeQueries.map((query) => [`${query.dashboard.file} ${query.where}`, query.target] as const))(
      '%s is saved complete, as the plugin editor saves it',
      (_where, target) => {
        const migrated =
          target.queryType === 'variable'
            ? migrateVariableQuery(target)
            : migrateQuery(target as Parameters<typeof migrateQuery>[0]);
        expect(toBackendQuery(migrated)).toEqual(withoutGrafanaFields(target));
      }
    );
  });
});
