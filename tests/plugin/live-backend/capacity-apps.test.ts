import type { DataFrame } from '@grafana/data';
import { FIRST_POLL, LAST_POLL, USER6_LEAVES_AT_POLL } from '../../support/live-backend-plan';
import { describeField, panelRequest, valuesOf } from './dashboard';
import { useLiveDashboard } from './liveBackend';

const POLLS_SHOWN = 60; // one sample per one-minute bucket, first poll to last
const repeated = <T>(value: T, times: number): T[] => new Array(times).fill(value);
/** tcp443's pool is the 253 addresses its server logged (IFCONFIG POOL); user6 leaves at poll 40. */
const tcp443Percent = [
  ...repeated(300 / 253, USER6_LEAVES_AT_POLL),
  ...repeated(200 / 253, POLLS_SHOWN - USER6_LEAVES_AT_POLL),
];

const live = useLiveDashboard();

describe('capacity against the live backend', () => {
  it('gives each pool’s usage in percent over time by default', async () => {
    const { data } = await live.dashboard.datasource.query(panelRequest([{ refId: 'C', queryType: 'capacity' }]));
    expect(data.map((frame) => frame.name)).toEqual(['tcp443 ipv4', 'udp1194 ipv4', 'udp1195 ipv4']);
    const [tcp443, udp1194, udp1195] = data;
    expect(tcp443.fields.map(describeField)).toEqual([
      { name: 'time', type: 'time', displayName: 'Time' },
      {
        name: 'percent',
        type: 'number',
        unit: 'percent',
        displayName: 'tcp443 ipv4',
        labels: { server: 'tcp443', pool: 'ipv4' },
      },
    ]);
    expect(tcp443.fields[1].config).toMatchObject({ min: 0, max: 100 });
    const times = valuesOf(tcp443, 'time');
    expect([times.length, times[0], times[POLLS_SHOWN - 1]]).toEqual([
      POLLS_SHOWN,
      FIRST_POLL * 1000,
      LAST_POLL * 1000,
    ]);
    expect(valuesOf(tcp443, 'percent')).toEqual(tcp443Percent);
    // three sessions in a configured pool of 10, and of 4
    expect(valuesOf(udp1194, 'percent')).toEqual(repeated(30, POLLS_SHOWN));
    expect(valuesOf(udp1195, 'percent')).toEqual(repeated(75, POLLS_SHOWN));
  });

  it('gives used and size as counts over time', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'C', queryType: 'capacity', measure: 'counts', server: 'udp1194' }])
    );
    expect(data).toHaveLength(1);
    expect(data[0].fields.map(describeField)).toEqual([
      { name: 'time', type: 'time', displayName: 'Time' },
      {
        name: 'used',
        type: 'number',
        unit: 'none',
        displayName: 'udp1194 ipv4 used',
        labels: { server: 'udp1194', pool: 'ipv4' },
      },
      {
        name: 'size',
        type: 'number',
        unit: 'none',
        displayName: 'udp1194 ipv4 size',
        labels: { server: 'udp1194', pool: 'ipv4' },
      },
    ]);
    expect(data[0].fields[1].config.decimals).toBe(0);
    expect(valuesOf(data[0], 'used')).toEqual(repeated(3, POLLS_SHOWN));
    expect(valuesOf(data[0], 'size')).toEqual(repeated(10, POLLS_SHOWN));
  });

  it.each(['percent', 'counts'] as const)('gives the latest sample of each pool as a table (%s)', async (measure) => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'T', queryType: 'capacity', format: 'table', measure }])
    );
    expect(data).toHaveLength(1);
    const [table] = data;
    expect(table.meta?.preferredVisualisationType).toBe('table');
    expect(table.fields.map(describeField)).toEqual([
      { name: 'server', type: 'string', displayName: 'Server' },
      { name: 'pool', type: 'string', displayName: 'Pool' },
      { name: 'used', type: 'number', unit: 'none', displayName: 'Used' },
      { name: 'size', type: 'number', unit: 'none', displayName: 'Size' },
      { name: 'percent', type: 'number', unit: 'percent', displayName: 'Used %' },
      { name: 'time', type: 'time', unit: 'dateTimeAsIso', displayName: 'Sampled at' },
    ]);
    expect(valuesOf(table, 'server')).toEqual(['tcp443', 'udp1194', 'udp1195']);
    expect(valuesOf(table, 'used')).toEqual([2, 3, 3]);
    expect(valuesOf(table, 'size')).toEqual([253, 10, 4]);
    expect(valuesOf(table, 'percent')).toEqual([200 / 253, 30, 75]);
    expect(valuesOf(table, 'time')).toEqual(repeated(LAST_POLL * 1000, 3));
  });
});

describe('app usage against the live backend', () => {
  // Only tcp443's clients told their app (its management log); status files alone never do.
  it.each([
    [
      'app',
      'App',
      [
        ['unknown', 3, 6],
        ['org.example.vpn.linux', 2, 2],
        ['org.example.vpn.windows', 1, 1],
      ],
    ],
    [
      'app_version',
      'App version',
      [
        ['unknown', 3, 6],
        ['1.0.0', 1, 1],
        ['1.1.0', 1, 1],
        ['1.2.0', 1, 1],
      ],
    ],
    [
      'platform',
      'Platform',
      [
        ['unknown', 3, 6],
        ['linux', 3, 3],
      ],
    ],
    [
      'client_version',
      'Client version',
      [
        ['unknown', 3, 6],
        ['2.6.14', 3, 3],
      ],
    ],
  ] as const)('counts distinct users and sessions per %s in a table', async (dimension, header, rows) => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'apps', dimension }])
    );
    expect(data).toHaveLength(1);
    const [table] = data;
    expect(table.fields.map(describeField)).toEqual([
      { name: dimension, type: 'string', displayName: header },
      { name: 'users', type: 'number', unit: 'none', displayName: 'Users' },
      { name: 'sessions', type: 'number', unit: 'none', displayName: 'Sessions' },
    ]);
    const tableRows = valuesOf(table, dimension).map((value, row) => [
      value,
      valuesOf(table, 'users')[row],
      valuesOf(table, 'sessions')[row],
    ]);
    expect(tableRows).toEqual(rows);
  });

  it.each([
    ['app', ['org.example.vpn.linux', 'org.example.vpn.windows', 'unknown']],
    ['app_version', ['1.0.0', '1.1.0', '1.2.0', 'unknown']],
    ['platform', ['linux', 'unknown']],
    ['client_version', ['2.6.14', 'unknown']],
  ] as const)('counts distinct users per %s over time, one labelled series per value', async (dimension, values) => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'apps', dimension, format: 'timeseries' }])
    );
    expect(data.map((frame) => frame.fields[1].labels)).toEqual(values.map((value) => ({ [dimension]: value })));
    for (const frame of data as DataFrame[]) {
      expect(frame.fields.map((field) => [field.name, field.type, field.config.unit])).toEqual([
        ['time', 'time', undefined],
        ['users', 'number', 'none'],
      ]);
      expect(frame.length).toBe(POLLS_SHOWN);
    }
  });

  it('counts a user in every bucket one of their sessions overlaps', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'apps', format: 'timeseries' }])
    );
    const [linux, windows, unknown] = data;
    expect(linux.fields[1].config.displayNameFromDS).toBe('org.example.vpn.linux');
    // user1 all hour; user6 until the bucket of the poll that no longer listed them
    expect(valuesOf(linux, 'users')).toEqual([
      ...repeated(2, USER6_LEAVES_AT_POLL + 1),
      ...repeated(1, POLLS_SHOWN - USER6_LEAVES_AT_POLL - 1),
    ]);
    expect(valuesOf(windows, 'users')).toEqual(repeated(1, POLLS_SHOWN));
    expect(valuesOf(unknown, 'users')).toEqual(repeated(3, POLLS_SHOWN));
  });
});
