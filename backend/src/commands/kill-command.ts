import os from 'node:os';
import { readSecret, type VpnscopeConfig } from '../config';
import { ACTOR_HEADER } from '../api/routes/kill';

export interface KillResult {
  ok: boolean;
  /** OpenVPN's reply, or why the kill did not happen. */
  message: string;
}

/**
 * `vpnscope kill <session>`: asks the running service, which holds the management connection
 * (OpenVPN serves one management client at a time), to kill the session. Uses the listen address
 * and the admin token of the same vpnscope.yaml.
 */
export async function killSession(config: VpnscopeConfig, sessionId: number): Promise<KillResult> {
  const adminToken = readSecret(config.api.adminToken, config.api.adminTokenFile, config.api.adminTokenEnv);
  if (!adminToken) {
    return {
      ok: false,
      message: 'no admin token in the configuration (api.adminToken, adminTokenFile or adminTokenEnv)',
    };
  }
  const url = `${serviceUrl(config.listen)}/api/v1/sessions/${sessionId}/kill`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, [ACTOR_HEADER]: `${os.userInfo().username} (vpnscope kill)` },
    });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { ok: false, message: `cannot reach ${url}: ${cause} (is vpnscope serve running?)` };
  }
  const body = (await response.json().catch(() => ({}))) as { reply?: string; server?: string; message?: string };
  if (response.ok) {
    return { ok: true, message: `session ${sessionId} on ${body.server}: ${body.reply}` };
  }
  return { ok: false, message: body.message ?? `${url} answered ${response.status}` };
}

/** The address `serve` listens on, as a client reaches it: a wildcard address means this host. */
function serviceUrl(listen: VpnscopeConfig['listen']): string {
  const host =
    listen.host === '0.0.0.0' || listen.host === '' ? '127.0.0.1' : listen.host === '::' ? '::1' : listen.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}`;
}
