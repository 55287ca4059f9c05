import type { DataFrame } from '@grafana/data';
import { FIRST_POLL, LAST_POLL, USER6_LEAVES_AT_POLL } from '../../support/live-backend-plan';
import { describeField, fieldNamed, openDashboard, panelRequest, valuesOf } from './dashboard';
import { useLiveDashboard } from './liveBackend';

/** Seeded rates, in bytes/s per one-minute bucket: see live-backend-plan.ts (600·growth B in per poll). */
const BUCKETS = 59; // deltas of polls 1..59; the first poll is only a baseline
const WITH_USER6 = USER6_LEAVES_AT_POLL - 1; // buckets 0..38 hold polls 1..39, when user6 still moved bytes
const repeated = <T>(value: T, times: number): T[] => new Array(times).fill(value);
const labelsOf = (frames: DataFrame[]) => frames.map((frame) => frame.fields[1].labels);

const live = useLiveDashboard();

describe('sessions against the live backend', () => {
  it('lists the live sessions as a table with units on every column', async () => {
    const { data } = await live.dashboard.datasource.query(panelRequest([{ refId: 'A', queryType: 'sessions' }]));
    expect(data).toHaveLength(1);
    const [table] = data;
    expect(table.refId).toBe('A');
    expect(table.meta?.preferredVisualisationType).toBe('table');
    expect(table.length).toBe(8);
    expect(table.fields.map(describeField)).toEqual([
      { name: 'user', type: 'string', displayName: 'User' },
      { name: 'server', type: 'string', displayName: 'Server' },
      { name: 'real_address', type: 'string', displayName: 'Real address' },
      { name: 'virtual_ipv4', type: 'string', displayName: 'Virtual IPv4' },
      { name: 'virtual_ipv6', type: 'string', displayName: 'Virtual IPv6' },
      { name: 'since', type: 'time', unit: 'dateTimeAsIso', displayName: 'Since' },
      { name: 'ended', type: 'time', unit: 'dateTimeAsIso', displayName: 'Ended' },
      { name: 'duration', type: 'number', unit: 's', displayName: 'Duration' },
      { name: 'bytes_in', type: 'number', unit: 'bytes', displayName: 'Bytes in' },
      { name: 'bytes_out', type: 'number', unit: 'bytes', displayName: 'Bytes out' },
      { name: 'avg_rate_in', type: 'number', unit: 'Bps', displayName: 'Avg rate in' },
      { name: 'avg_rate_out', type: 'number', unit: 'Bps', displayName: 'Avg rate out' },
      { name: 'app', type: 'string', displayName: 'App' },
      { name: 'app_version', type: 'string', displayName: 'App version' },
      { name: 'platform', type: 'string', displayName: 'Platform' },
      { name: 'client_version', type: 'string', displayName: 'Client version' },
      { name: 'cipher', type: 'string', displayName: 'Cipher' },
      { name: 'end_reason', type: 'string', displayName: 'End reason' },
      { name: 'session_id', type: 'number', displayName: 'Session id' },
    ]);
    expect(valuesOf(table, 'user')).not.toContain('user6');
    expect(valuesOf(table, 'ended')).toEqual(repeated(null, 8));
    // user1 on udp1194: 2187 bytes in the capture, then 600 more at each of 59 polls
    const user1 = valuesOf(table, 'real_address').indexOf('198.18.0.2:57459');
    expect(valuesOf(table, 'bytes_in')[user1]).toBe(2187 + 59 * 600);
    expect(valuesOf(table, 'since')[user1]).toBe(1_795_275_513_000);
  });

  it('lists every session of the range with state all, the one that ended with its app', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'sessions', state: 'all', server: 'tcp443' }])
    );
    const [table] = data;
    expect(valuesOf(table, 'user')).toEqual(['user6', 'user2', 'user1']);
    expect(valuesOf(table, 'ended')).toEqual([(FIRST_POLL + USER6_LEAVES_AT_POLL * 60) * 1000, null, null]);
    expect(valuesOf(table, 'end_reason')).toEqual(['vanished', null, null]);
    expect(valuesOf(table, 'app')).toEqual([
      'org.example.vpn.linux',
      'org.example.vpn.windows',
      'org.example.vpn.linux',
    ]);
    expect(valuesOf(table, 'app_version')).toEqual(['1.0.0', '1.2.0', '1.1.0']);
    expect(valuesOf(table, 'duration')[0]).toBe(FIRST_POLL + USER6_LEAVES_AT_POLL * 60 - 1_795_275_492);
  });
});

describe('traffic against the live backend', () => {
  it('gives bytes per second per server and direction by default, one labelled frame each', async () => {
    const { data } = await live.dashboard.datasource.query(panelRequest([{ refId: 'A', queryType: 'traffic' }]));
    expect(labelsOf(data)).toEqual([
      { server: 'tcp443', direction: 'in' },
      { server: 'tcp443', direction: 'out' },
      { server: 'udp1194', direction: 'in' },
      { server: 'udp1194', direction: 'out' },
      { server: 'udp1195', direction: 'in' },
      { server: 'udp1195', direction: 'out' },
    ]);
    const [tcpIn] = data;
    expect(tcpIn.fields.map(describeField)).toEqual([
      { name: 'time', type: 'time', displayName: 'Time' },
      {
        name: 'rate',
        type: 'number',
        unit: 'Bps',
        displayName: 'tcp443 in',
        labels: { server: 'tcp443', direction: 'in' },
      },
    ]);
    const times = valuesOf(tcpIn, 'time');
    expect(times).toHaveLength(BUCKETS);
    expect([times[0], times[BUCKETS - 1]]).toEqual([FIRST_POLL * 1000, (LAST_POLL - 60) * 1000]);
    // tcp443: user1, user2 and user6 (growth 1 + 2 + 10) until user6 leaves, then 1 + 2
    expect(valuesOf(tcpIn, 'rate')).toEqual([...repeated(130, WITH_USER6), ...repeated(30, BUCKETS - WITH_USER6)]);
    expect(valuesOf(data[3], 'rate')).toEqual(repeated(700, BUCKETS));
  });

  it('gives bytes per interval for everyone together', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'V', queryType: 'traffic', unit: 'volume', groupBy: 'none', direction: 'in' }])
    );
    expect(data).toHaveLength(1);
    expect(data[0].fields.map(describeField)).toEqual([
      { name: 'time', type: 'time', displayName: 'Time' },
      { name: 'volume', type: 'number', unit: 'bytes', displayName: 'in', labels: { direction: 'in' } },
    ]);
    // 600 B per growth step: udp1194 7 + udp1195 7 + tcp443 13 (3 once user6 has left)
    expect(valuesOf(data[0], 'volume')).toEqual([
      ...repeated(27 * 600, WITH_USER6),
      ...repeated(17 * 600, BUCKETS - WITH_USER6),
    ]);
  });

  it('keeps the top-N users by bytes over the range, even one who has left', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'T', queryType: 'traffic', groupBy: 'user', direction: 'out', topN: 2 }])
    );
    expect(labelsOf(data)).toEqual([
      { user: 'user3', direction: 'out' },
      { user: 'user6', direction: 'out' },
    ]);
    expect(valuesOf(data[1], 'rate')).toEqual([...repeated(1000, WITH_USER6), ...repeated(0, BUCKETS - WITH_USER6)]);
  });

  describe('every unit, grouping and direction in one request', () => {
    const groups = {
      none: [undefined],
      server: ['tcp443', 'udp1194', 'udp1195'],
      user: ['user1', 'user2', 'user3', 'user6'],
    };
    const cases = (['rate', 'volume'] as const).flatMap((unit) =>
      (['none', 'server', 'user'] as const).flatMap((groupBy) =>
        (['in', 'out', 'both'] as const).map((direction) => ({ unit, groupBy, direction }))
      )
    );
    const refId = (c: (typeof cases)[number]) => `${c.unit}-${c.groupBy}-${c.direction}`;
    let frames: DataFrame[];

    beforeAll(async () => {
      const targets = cases.map((c) => ({ refId: refId(c), queryType: 'traffic' as const, ...c }));
      ({ data: frames } = await openDashboard({ backendUrl: live.backend.urls.open }).datasource.query(
        panelRequest(targets)
      ));
    });

    it.each(cases)('$unit by $groupBy, direction $direction', (c) => {
      const ofQuery = frames.filter((frame) => frame.refId === refId(c));
      const directions = c.direction === 'both' ? ['in', 'out'] : [c.direction];
      const expected = groups[c.groupBy].flatMap((group) =>
        directions.map((direction) => (group === undefined ? { direction } : { [c.groupBy]: group, direction }))
      );
      expect(labelsOf(ofQuery)).toEqual(expected);
      for (const frame of ofQuery) {
        expect(frame.length).toBe(BUCKETS);
        expect(fieldNamed(frame, 'time').type).toBe('time');
        expect(frame.fields[1].config.unit).toBe(c.unit === 'rate' ? 'Bps' : 'bytes');
      }
    });
  });

  it.each([
    ['day', Date.UTC(2026, 10, 21)],
    ['week', Date.UTC(2026, 10, 16)],
    ['month', Date.UTC(2026, 10, 1)],
  ] as const)('totals each user’s bytes per %s as one bar at the period’s start', async (totals, periodStart) => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'P', queryType: 'traffic', totals, groupBy: 'user' }])
    );
    expect(labelsOf(data)).toHaveLength(8);
    const user1In = data[0];
    expect(user1In.fields.map(describeField)).toEqual([
      { name: 'time', type: 'time', displayName: 'Time' },
      {
        name: 'total',
        type: 'number',
        unit: 'bytes',
        displayName: 'user1 in',
        labels: { user: 'user1', direction: 'in' },
      },
    ]);
    expect(valuesOf(user1In, 'time')).toEqual([periodStart]);
    // user1 is on all three servers: 3 sessions × 59 polls × 600 B
    expect(valuesOf(user1In, 'total')).toEqual([3 * 59 * 600]);
    expect(data.map((frame) => valuesOf(frame, 'total')[0])).toEqual([
      106_200, 1_062_000, 212_400, 2_124_000, 283_200, 2_832_000, 234_000, 2_340_000,
    ]);
  });
});
