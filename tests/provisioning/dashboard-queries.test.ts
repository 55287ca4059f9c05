import type { DataFrameJSON, QueryResponse } from '../../backend/src/contract';
import {
  bundledDashboards,
  durationSeconds,
  PLUGIN_ID,
  panelRange,
  panelsOf,
  queriesOf,
  type DashboardQuery,
  type Target,
} from './support/bundle';
import { fieldReferences, grafanaRegExp, labelsIn, namesIn } from './support/field-references';
import { startSeededBackend, type SeededBackend } from './support/seeded-backend';

jest.setTimeout(60_000);

const dashboards = bundledDashboards();
const vpnscopeQueries = dashboards.flatMap(queriesOf).filter((query) => query.datasource.type === PLUGIN_ID);
/** Grafana's default for a panel that sets no max data points: about one point per pixel. */
const MAX_DATA_POINTS = 1000;

describe('the bundled dashboards, run against a live backend seeded from real OpenVPN 2.6.14 captures', () => {
  let backend: SeededBackend;

  beforeAll(async () => {
    backend = await startSeededBackend();
  });

  afterAll(async () => {
    await backend.close();
  });

  /** `$user` and `$server` become values the seeded store holds, as Grafana's variables would. */
  function interpolate({ datasource: _datasource, ...target }: Target): Target {
    const values: Record<string, string> = { user: backend.users[0], server: backend.servers[0] };
    const text = JSON.stringify(target).replace(/\$\{?(\w+)\}?/g, (spelled, name: string) => {
      if (!(name in values)) {
        throw new Error(`no seeded value for ${spelled}`);
      }
      return values[name];
    });
    return JSON.parse(text);
  }

  async function run(query: DashboardQuery): Promise<DataFrameJSON[]> {
    const range = panelRange(query.dashboard, query.panel, backend.now);
    const rangeMs = (range.to - range.from) * 1000;
    const intervalMs = query.panel?.interval
      ? durationSeconds(query.panel.interval) * 1000
      : Math.max(1000, Math.round(rangeMs / MAX_DATA_POINTS));
    const target = interpolate(query.target);
    const response = await backend.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: {
        range: { from: range.from * 1000, to: range.to * 1000 },
        intervalMs,
        maxDataPoints: MAX_DATA_POINTS,
        queries: [target],
      },
    });
    expect(response.statusCode).toBe(200);
    const result = response.json<QueryResponse>().results[target.refId];
    expect(result.error).toBeUndefined();
    return result.frames;
  }

  it.each(vpnscopeQueries.map((query) => [`${query.dashboard.file} ${query.where}`, query] as const))(
    '%s returns frames with rows',
    async (_where, query) => {
      const frames = await run(query);
      expect(frames.length).toBeGreaterThan(0);
      expect(Math.max(...frames.map((frame) => frame.data.values[0]?.length ?? 0))).toBeGreaterThan(0);
    }
  );

  const vpnscopePanels = dashboards.flatMap((dashboard) =>
    panelsOf(dashboard)
      .filter((panel) => panel.datasource?.type === PLUGIN_ID)
      .map((panel) => [`${dashboard.file} panel "${panel.title}"`, dashboard, panel] as const)
  );

  it.each(vpnscopePanels)(
    '%s finds every field its options and transformations name',
    async (_where, dashboard, panel) => {
      const queries = queriesOf(dashboard).filter((query) => query.panel === panel);
      const frames = (await Promise.all(queries.map(run))).flat();
      const refs = fieldReferences(panel);
      const available = new Set([...namesIn(frames), ...refs.produced]);
      refs.names.forEach((name) =>
        expect({ field: name, found: available.has(name) }).toEqual({ field: name, found: true })
      );
      refs.labels.forEach((label) => expect([...labelsIn(frames)]).toContain(label));
      refs.patterns.forEach((pattern) => expect([...namesIn(frames)].some((name) => pattern.test(name))).toBe(true));
    }
  );

  it('pulls the real address out of every failed attempt for the "By real address" table', async () => {
    const security = dashboards.find((d) => d.uid === 'vpnscope-security');
    const panel = panelsOf(security!).find((p) => p.title === 'By real address')!;
    const extract = panel.transformations!.find((t) => t.id === 'extractFields')!.options;
    const [frame] = await run(queriesOf(security!).find((query) => query.panel === panel)!);
    const source = frame.data.values[
      frame.schema.fields.findIndex((field) => field.name === extract.source)
    ] as string[];
    const addresses = source.map((text) => grafanaRegExp(extract.regExp).exec(text)?.groups?.address);
    expect(addresses.sort()).toEqual(['198.18.7.1', '198.18.7.2', '198.18.7.3', '198.18.7.4']);
  });
});
