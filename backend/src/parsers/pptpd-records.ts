import type { ParseIssue } from '../model';
import type { AuthMethod, PppdEndReason } from './pppd-message';

/**
 * One pppd process serving one PPTP call, as its syslog lines describe it. Byte directions are
 * the server's view, as in model.ts.
 */
export interface PptpdSession {
  /** Host, PID and start second: unique although PIDs get reused. */
  key: string;
  host: string;
  pid: number;
  pppdVersion: string;
  /** The `pppd ... started by` line. */
  startedAt: number;
  lastSeenAt: number;
  /** `ppp0`: where live byte counters are read while the session is open. */
  interface?: string;
  tty?: string;
  /** The client's public address (pptpd passes it to pppd as the calling number). */
  callingNumber?: string;
  user?: string;
  /** As pppd names it: MS-CHAP and MS-CHAPv2 logins say CHAP. */
  authMethod?: AuthMethod;
  localIp?: string;
  remoteIp?: string;
  /** The `Exit.` line (or the last line seen, for a session that was lost). */
  endedAt?: number;
  endReason?: PppdEndReason;
  connectSeconds?: number;
  /** `Sent N bytes`: server → client. */
  bytesOut?: number;
  /** `received M bytes`: client → server. */
  bytesIn?: number;
  /** 32 when the byte counts are printed modulo 2^32 (pppd before 2.5.2); see pppd-counters.ts. */
  counterBits: 32 | 64;
}

export interface PptpdAuthFailure {
  ts: number;
  host: string;
  pid: number;
  sessionKey: string;
  user: string;
  method: AuthMethod;
  detail: string;
  callingNumber?: string;
}

/**
 * What the assembler reports. A session is `opened` when its link is up (`remote IP address` or
 * the pptpd-logwtmp `ip-up` line), `updated` when a detail changes afterwards, `closed` on
 * `Exit.`. Calls that never came up (failed logins, GRE trouble) produce no session.
 */
export type PptpdOutput =
  | { kind: 'opened'; session: PptpdSession }
  | { kind: 'updated'; session: PptpdSession }
  | { kind: 'closed'; session: PptpdSession }
  | { kind: 'auth-failure'; failure: PptpdAuthFailure }
  | { kind: 'issue'; issue: ParseIssue };
