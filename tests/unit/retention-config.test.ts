import fc from 'fast-check';
import { ConfigError, configFromDocument, type VpnscopeConfig } from '../../backend/src/config';

const load = (retention: unknown): VpnscopeConfig =>
  configFromDocument({ retention }, 'vpnscope.yaml', '/etc/vpnscope');

const problemsOf = (retention: unknown): string[] => {
  try {
    load(retention);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  return [];
};

describe('retention configuration', () => {
  it('keeps raw rows two days, minutes eight, hours 400 days and days five years by default', () => {
    expect(load(undefined).retention).toEqual({
      rawDays: 2,
      minuteDays: 8,
      hourDays: 400,
      dayDays: 1830,
      eventsDays: 400,
      sessionsDays: 400,
    });
  });

  it('fills in the periods not given', () => {
    expect(load({ rawDays: 3, hourDays: 800 }).retention).toMatchObject({ rawDays: 3, minuteDays: 8, hourDays: 800 });
  });

  it('refuses a coarser rollup kept for less time than a finer one, naming both keys', () => {
    expect(problemsOf({ minuteDays: 30, hourDays: 20 })).toEqual([
      'retention.hourDays (20) must be at least retention.minuteDays (30): a coarser rollup is kept at least as long as a finer one',
    ]);
    expect(problemsOf({ rawDays: 10 })).toEqual([
      'retention.minuteDays (8) must be at least retention.rawDays (10): a coarser rollup is kept at least as long as a finer one',
    ]);
  });

  it('refuses sessions kept for less time than the raw traffic that names them', () => {
    expect(problemsOf({ rawDays: 5, minuteDays: 10, sessionsDays: 4 })).toEqual([
      'retention.sessionsDays (4) must be at least retention.rawDays (5): raw traffic rows name their session',
    ]);
  });

  it('tells what replaced the keys of earlier versions', () => {
    const [traffic, capacity] = problemsOf({ trafficDays: 35, capacityDays: 400 });
    expect(traffic).toMatch(/^retention: "trafficDays" was replaced: raw traffic is kept for "rawDays"/);
    expect(capacity).toMatch(/^retention: "capacityDays" was replaced: pool samples follow traffic/);
    expect(problemsOf({ trafficDay: 35 })).toEqual(['retention: unknown key "trafficDay"']);
  });

  it('accepts exactly the periods that grow from raw to day and keep sessions as long as raw rows', () => {
    const days = fc.integer({ min: 1, max: 5_000 });
    fc.assert(
      fc.property(
        fc.record({ rawDays: days, minuteDays: days, hourDays: days, dayDays: days, sessionsDays: days }),
        (r) => {
          const ordered =
            r.rawDays <= r.minuteDays &&
            r.minuteDays <= r.hourDays &&
            r.hourDays <= r.dayDays &&
            r.rawDays <= r.sessionsDays;
          expect(problemsOf(r).length === 0).toBe(ordered);
        }
      )
    );
  });
});
