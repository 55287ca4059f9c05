/** A live session as the kill command needs it. */
export interface SessionToKill {
  id: number;
  server: string;
  user: string;
  commonName: string;
  clientId: number | null;
  realAddress: string;
}

export type KillOutcome =
  | { kind: 'no-management' }
  /** The interface could not be reached or the connection failed before a reply. */
  | { kind: 'unreachable'; error: string }
  /** OpenVPN answered; `reply` is its line as sent, e.g. `SUCCESS: client-kill command succeeded`. */
  | { kind: 'answered'; command: string; ok: boolean; reply: string };

export interface SessionKiller {
  /** Kills one session through its server's management interface; `requestedBy` goes into the event. */
  kill(session: SessionToKill, requestedBy: string, ts: number): Promise<KillOutcome>;
}

const PLAIN_WORD = /^[A-Za-z0-9._@+=:/-]+$/;

/**
 * `client-kill CID` names exactly one session. Without a client id (OpenVPN before 2.4) only
 * `kill CN` is left, which ends every session of that common name (duplicate-cn).
 */
export function killCommand(session: Pick<SessionToKill, 'clientId' | 'commonName'>): string {
  if (session.clientId !== null) {
    return `client-kill ${session.clientId}`;
  }
  const name = session.commonName;
  // OpenVPN's command parser splits at blanks; inside double quotes a backslash escapes the next character.
  return `kill ${PLAIN_WORD.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`}`;
}
