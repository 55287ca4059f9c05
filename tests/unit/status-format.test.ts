import fc from 'fast-check';
import {
  atOrAbove,
  formatCsv,
  formatJson,
  percentageInUse,
  type ServerStatus,
} from '../../backend/src/commands/status-format';

const row = (profile: string, active: number, max: number | null): ServerStatus => ({
  profile_id: profile,
  active_connection_count: active,
  max_connection_count: max,
  percentage_in_use: percentageInUse(active, max),
  port_client_count: { 'udp/1194': active },
  connection_list: [],
});

describe('vpnscope status output', () => {
  it('rounds the percentage down like eduVPN, so an alert does not fire early', () => {
    expect(percentageInUse(102, 488)).toBe(20);
    expect(percentageInUse(899, 1000)).toBe(89);
    expect(percentageInUse(3, 0)).toBeNull();
    expect(percentageInUse(3, null)).toBeNull();
  });

  it('keeps the percentage within 0..100 while the pool is not overfull', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (max, used) => {
        const active = used % (max + 1);
        const percentage = percentageInUse(active, max) as number;
        expect(percentage).toBeGreaterThanOrEqual(0);
        expect(percentage).toBeLessThanOrEqual(100);
      })
    );
  });

  it("prints eduVPN's CSV header and one row per server, empty where the pool size is unknown", () => {
    expect(formatCsv([row('amsterdam', 102, 488), row('lab', 3, null)])).toBe(
      'profile_id,active_connection_count,max_connection_count,percentage_in_use\namsterdam,102,488,20\nlab,3,,\n'
    );
  });

  it('lists only rows at or above the alert threshold, leaving out unknown pools', () => {
    const rows = [row('a', 90, 100), row('b', 89, 100), row('c', 5, null), row('d', 100, 100)];
    expect(atOrAbove(rows, 90).map((r) => r.profile_id)).toEqual(['a', 'd']);
  });

  it('adds port_client_count and connection_list to JSON only with --connections', () => {
    const plain = JSON.parse(formatJson([row('a', 1, 10)], false));
    const full = JSON.parse(formatJson([row('a', 1, 10)], true));
    expect(Object.keys(plain[0])).toEqual([
      'profile_id',
      'active_connection_count',
      'max_connection_count',
      'percentage_in_use',
    ]);
    expect(full[0]).toMatchObject({ port_client_count: { 'udp/1194': 1 }, connection_list: [] });
  });
});
