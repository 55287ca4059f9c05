import { PerHost } from './per-host';

/** One pptpd control process (`CTRL: Client IP control connection started`), serving one call. */
export interface ControlConnection {
  host: string;
  pid: number;
  clientIp: string;
  startedAt: number;
  /** The pppd this call launched, once known. */
  pppdPid: number | null;
}

/** pptpd forks pppd right after `control connection started`; a pppd later than this is not that call's. */
const CLAIM_WINDOW_SECONDS = 60;
/** Control connections whose `finished` line never came (pptpd killed) are forgotten after a day. */
const STALE_SECONDS = 86_400;
const SWEEP_THRESHOLD = 1024;

/**
 * pptpd's control connections, to give each pppd its client's address before pppd logs it
 * itself — which it never does for a failed login, where that address matters most.
 */
export class ControlConnections {
  private readonly byPid = new PerHost<number, ControlConnection>();

  constructor(saved: readonly ControlConnection[] = []) {
    for (const control of saved) {
      this.byPid.set(control.host, control.pid, { ...control });
    }
  }

  started(host: string, pid: number, clientIp: string, ts: number): void {
    this.sweepStale(ts);
    this.byPid.set(host, pid, { host, pid, clientIp, startedAt: ts, pppdPid: null });
  }

  finished(host: string, pid: number): void {
    this.byPid.delete(host, pid);
  }

  /**
   * The control process forks pppd, so a pppd's PID is the next free one after its control
   * process's: a starting pppd takes the newest unclaimed recent control connection with a lower PID.
   */
  claim(host: string, pppdPid: number, ts: number): ControlConnection | undefined {
    let best: ControlConnection | undefined;
    for (const control of this.byPid.valuesOf(host)) {
      if (
        control.pppdPid === null &&
        control.pid < pppdPid &&
        ts - control.startedAt <= CLAIM_WINDOW_SECONDS &&
        (best === undefined || control.pid > best.pid)
      ) {
        best = control;
      }
    }
    if (best !== undefined) {
      best.pppdPid = pppdPid;
    }
    return best;
  }

  /** `CTRL: Reaping child PPP[N]` names the call's pppd for certain; returns the connection it settles. */
  reaped(host: string, pid: number, pppdPid: number): ControlConnection | undefined {
    const control = this.byPid.get(host, pid);
    if (control !== undefined) {
      control.pppdPid = pppdPid;
    }
    return control;
  }

  list(): ControlConnection[] {
    return this.byPid.all().map((control) => ({ ...control }));
  }

  private sweepStale(ts: number): void {
    if (this.byPid.size < SWEEP_THRESHOLD) {
      return;
    }
    for (const control of this.byPid.all()) {
      if (ts - control.startedAt > STALE_SECONDS) {
        this.byPid.delete(control.host, control.pid);
      }
    }
  }
}
