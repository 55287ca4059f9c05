/**
 * Runs a year of the fleet through vpnscope's own write path — SessionTracker.applySnapshot per
 * server per poll, setClientInfo once a poll has shown a session, recordEvent for security events,
 * restarts and outages — with rollUp() and applyRetention() as the service runs them, on a fake
 * clock. Polls are coarse for old history and at the real 10 s only where the retained data
 * depends on it (see generate-history.ts).
 */
import { performance } from 'node:perf_hooks';
import type { RetentionConfig } from '../../backend/src/config';
import { clientInfoFromPeerInfo } from '../../backend/src/parsers/peer-info';
import type { Db } from '../../backend/src/store/database';
import { applyRetention } from '../../backend/src/store/retention';
import { rollUp } from '../../backend/src/store/rollups';
import type { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { planDay, type GatewayChains, type PlannedSession } from './day-plan';
import { FleetServerState } from './fleet';
import { planIncidents, type Incident } from './incidents';
import { MinHeap } from './min-heap';
import { createPopulation, peerInfo, SERVERS } from './population';
import { Random } from './random';

const HOUR = 3600;
const DAY = 86_400;

export interface YearOptions {
  db: Db;
  tracker: SessionTracker;
  users: number;
  days: number;
  seed: number;
  /** Unix seconds of the last poll, a multiple of `coarsePollSeconds`: "now" for the dashboards. */
  end: number;
  /** The last days polled every 10 s, and before them those polled every 60 s. */
  fineDays: number;
  minuteDays: number;
  coarsePollSeconds: number;
  /** How often rollUp() runs (the service: every 10 s; the rollups come out the same for any period). */
  rollupSeconds: number;
  retention: RetentionConfig;
  progress: (line: string) => void;
}

type Cadence = 'every10s' | 'every60s' | 'coarse';

export interface YearSummary {
  polls: Record<Cadence, number>;
  /** Wall milliseconds of the rounds of each cadence, everything included. */
  roundMs: Record<Cadence, number>;
  sessionsPlanned: number;
  /**
   * Began and ended between two polls: vpnscope would never see them, so they are stretched to
   * the next poll and the sessions table still holds every session of the year.
   */
  sessionsStretched: number;
  /** The server's pool was full. */
  sessionsRefused: number;
  events: number;
  restarts: number;
  outages: number;
  /** Wall milliseconds spent in vpnscope's code, by part, and in the simulation itself. */
  ms: { tracker: number; rollUp: number; retention: number; simulation: number };
}

/** What the service's rollUpAll does between polls, without yielding: there is nothing to yield to. */
export function rollUpEverything(db: Db): void {
  while (rollUp(db)) {
    // one bounded chunk per call
  }
}

export function simulateYear(options: YearOptions): YearSummary {
  const { db, tracker, end } = options;
  const random = new Random(options.seed);
  const users = createPopulation(random, options.users, options.days);
  const start = end - options.days * DAY;
  const firstMidnight = Math.floor(start / DAY) * DAY;
  const fleet = SERVERS.map((server, index) => new FleetServerState(index, server));
  fleet.forEach(({ server }) =>
    tracker.registerServer(server.name, 'openvpn', { size: server.poolSize, source: 'ifconfig-pool in server.conf' })
  );
  const upcoming = new MinHeap<PlannedSession>((session) => session.start);
  const incidents = new MinHeap<Incident>((incident) => incident.ts);
  const chains: GatewayChains = new Map();
  const summary: YearSummary = {
    polls: { every10s: 0, every60s: 0, coarse: 0 },
    roundMs: { every10s: 0, every60s: 0, coarse: 0 },
    sessionsPlanned: 0,
    sessionsStretched: 0,
    sessionsRefused: 0,
    events: 0,
    restarts: 0,
    outages: 0,
    ms: { tracker: 0, rollUp: 0, retention: 0, simulation: 0 },
  };
  const timed = (part: keyof YearSummary['ms'], work: () => void) => {
    const began = performance.now();
    work();
    summary.ms[part] += performance.now() - began;
  };
  const cadence = (ts: number): number =>
    ts >= end - options.fineDays * DAY ? 10 : ts >= end - options.minuteDays * DAY ? 60 : options.coarsePollSeconds;

  let plannedDays = 0;
  const planAhead = (ts: number) => {
    // local days begin up to 8 h before their UTC date: plan each 12 h ahead
    while (plannedDays <= options.days + 1 && firstMidnight + plannedDays * DAY - 12 * HOUR <= ts) {
      const dayStart = firstMidnight + plannedDays * DAY;
      const sessions = users.flatMap((user) => planDay(random, user, plannedDays, dayStart, chains));
      sessions.filter((s) => s.start >= start).forEach((s) => upcoming.push(s));
      summary.sessionsPlanned += sessions.filter((s) => s.start >= start && s.start <= end).length;
      planIncidents(random, dayStart, sessions, users)
        .filter((incident) => incident.ts >= start)
        .forEach((incident) => incidents.push(incident));
      plannedDays += 1;
    }
  };

  const handle = (incident: Incident) => {
    const state = fleet[incident.server];
    const name = state.server.name;
    switch (incident.kind) {
      case 'event':
        summary.events += 1;
        timed('tracker', () => tracker.recordEvent(name, incident.event));
        return;
      case 'restart':
        summary.restarts += 1;
        for (const plan of state.restart(incident.ts)) {
          plan.start = incident.ts + Math.round(random.between(15, 240));
          if (plan.start < plan.end) {
            upcoming.push(plan);
          }
        }
        timed('tracker', () =>
          tracker.recordEvent(name, {
            ts: incident.ts,
            kind: 'server_restart',
            detail: 'Initialization Sequence Completed',
          })
        );
        return;
      case 'outage':
        summary.outages += 1;
        state.downUntil = incident.until;
        timed('tracker', () =>
          tracker.recordEvent(name, {
            ts: incident.ts,
            kind: 'source_down',
            detail: 'management: connect ECONNREFUSED',
          })
        );
        return;
    }
  };

  const poll = (state: FleetServerState, ts: number, day: number) => {
    const name = state.server.name;
    if (state.downUntil !== null) {
      if (ts < state.downUntil) {
        return;
      }
      state.downUntil = null;
      timed('tracker', () => tracker.recordEvent(name, { ts, kind: 'source_up', detail: 'management' }));
    }
    const sessions = state.report(random, ts);
    const unannounced = state.connected.filter((session) => !session.infoSent);
    timed('tracker', () => {
      tracker.applySnapshot({ server: name, ts, sessions });
      for (const session of unannounced) {
        const info = clientInfoFromPeerInfo(peerInfo(session.plan.device, day));
        tracker.setClientInfo(name, session.observed.clientId as number, info, ts);
        session.infoSent = true;
      }
    });
  };

  const began = performance.now();
  // A day of polls per transaction (the store's own transactions, and retention's, nest as
  // savepoints): the same rows as a commit per poll, without writing back at every commit the
  // pages each user's writes dirty in the user-ordered indexes, which cost the generator more
  // than the writes themselves (a commit per hour: 42 ms a commit, 40 % of a 60-day build of
  // 30-minute polls).
  db.exec('BEGIN');
  let lastRollup = Number.NEGATIVE_INFINITY;
  let retentionHour = Math.floor(start / HOUR);
  for (let ts = start; ts <= end;) {
    const roundBegan = performance.now();
    planAhead(ts);
    incidents.popUpTo(ts).forEach(handle);
    for (const plan of upcoming.popUpTo(ts)) {
      if (plan.end <= ts) {
        // over before this poll: stretched to it, so every session of the year is in the table
        summary.sessionsStretched += 1;
        plan.end = ts + 1;
      }
      if (!fleet[plan.server].connect(random, plan)) {
        summary.sessionsRefused += 1;
      }
    }
    const day = Math.floor((ts - start) / DAY);
    fleet.forEach((state) => poll(state, ts, day));
    const step = cadence(ts);
    const kind: Cadence = step === 10 ? 'every10s' : step === 60 ? 'every60s' : 'coarse';
    if (ts - lastRollup >= options.rollupSeconds || step >= options.rollupSeconds) {
      timed('rollUp', () => rollUpEverything(db));
      lastRollup = ts;
    }
    if (Math.floor(ts / HOUR) !== retentionHour) {
      retentionHour = Math.floor(ts / HOUR);
      if (retentionHour % 24 === 0) {
        db.exec('COMMIT');
        db.exec('BEGIN');
      }
      timed('retention', () => applyRetention(db, options.retention, ts));
    }
    summary.polls[kind] += 1;
    summary.roundMs[kind] += performance.now() - roundBegan;
    if (day !== Math.floor((ts + step - start) / DAY) && (day + 1) % 30 === 0) {
      const live = fleet.reduce((sum, state) => sum + state.connected.length, 0);
      options.progress(
        `day ${day + 1}/${options.days}: ${live} live, ${((performance.now() - began) / 1000).toFixed(0)} s`
      );
    }
    const next = cadence(ts + 1);
    ts = (Math.floor(ts / next) + 1) * next;
  }
  timed('rollUp', () => rollUpEverything(db));
  db.exec('COMMIT');
  const vpnscopeMs = summary.ms.tracker + summary.ms.rollUp + summary.ms.retention;
  summary.ms.simulation = performance.now() - began - vpnscopeMs;
  return summary;
}
