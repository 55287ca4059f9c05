import type { ClientInfo } from '../model';

/**
 * Splits a GUI version at the last `_` (or space) whose remainder starts with a digit: apps write
 * `org.eduvpn.app.windows_4.1.0`, `OCWindows_3.2.0-1064` or `de.blinkt.openvpn 0.6.17`.
 */
const APP_VERSION = /^(.+)[_ ](\d.*)$/;

/** App and platform facts from a client's peer info (`>CLIENT:ENV` or `peer info:` log lines). */
export function clientInfoFromPeerInfo(env: Record<string, string>): ClientInfo {
  const gui = valueOf(env, 'IV_GUI_VER');
  const split = gui === null ? null : APP_VERSION.exec(gui);
  return {
    app: split ? split[1] : (gui ?? 'unknown'),
    appVersion: split ? split[2] : null,
    platform: valueOf(env, 'IV_PLAT'),
    platformVersion: valueOf(env, 'IV_PLAT_VER'),
    clientVersion: valueOf(env, 'IV_VER'),
  };
}

function valueOf(env: Record<string, string>, key: string): string | null {
  const value = Object.hasOwn(env, key) ? env[key].trim() : '';
  return value === '' ? null : value;
}
