import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { ManagementClient, type ManagementClientOptions } from '../../backend/src/sources/openvpn/management-client';
import { makeTempDir } from '../support/temp-dir';
import { freePort } from '../support/free-port';

/**
 * The client against a real OpenVPN management interface. OpenVPN runs as a peer-to-peer
 * instance with `--dev null` on loopback: no tun device, no root, and the same management code
 * as a server. (`--mode server` needs tun; the netns e2e harness covers server-only output.)
 */

const OPENVPN = process.env.OPENVPN_BIN ?? 'openvpn';
const PASSWORD = 'Tr0ub4dor-mgmt';
const FAST_RECONNECT = { initialMs: 50, maxMs: 400 };

jest.setTimeout(20_000);

let dir: string;
let cleanup: () => void;
const running = new Set<ChildProcess>();
const clients: ManagementClient[] = [];

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir('vpnscope-mgmt-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all([...running].map((child) => stop(child, 'SIGTERM')));
  cleanup();
});

/** Starts OpenVPN with `--management <args>` and resolves once the interface listens. */
async function startOpenvpn(management: string[]): Promise<ChildProcess> {
  const child = spawn(
    OPENVPN,
    ['--dev', 'null', '--local', '127.0.0.1', '--lport', '0', '--verb', '3', '--management', ...management],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`openvpn exited with ${code} before listening:\n${output}`)));
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      if (/MANAGEMENT: (unix domain socket|TCP Socket) listening on/.test(output)) {
        resolve();
      }
    });
  });
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

function passwordFile(password: string): string {
  const file = path.join(dir, `pw-${password.length}-${Date.now()}`);
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return file;
}

function client(options: Partial<ManagementClientOptions> & Pick<ManagementClientOptions, 'target'>): ManagementClient {
  const created = new ManagementClient({ reconnect: FAST_RECONNECT, ...options });
  clients.push(created);
  return created;
}

/** Resolves with the first `down` reason that matches. */
function downWith(managementClient: ManagementClient, reason: string | RegExp): Promise<string> {
  return new Promise((resolve) => {
    const listener = (actual: string) => {
      if (typeof reason === 'string' ? actual === reason : reason.test(actual)) {
        managementClient.off('down', listener);
        resolve(actual);
      }
    };
    managementClient.on('down', listener);
  });
}

const socketPath = () => path.join(dir, 'mgmt.sock');

describe('ManagementClient against OpenVPN', () => {
  it('greets, and answers version, status 3 and pid', async () => {
    const server = await startOpenvpn([socketPath(), 'unix']);
    const management = client({ target: { path: socketPath() } });
    const up = once(management, 'up');
    management.start();
    expect(await up).toEqual([{ managementVersion: 5 }]);

    const version = await management.command('version');
    expect(version.ok).toBe(true);
    expect(version.lines[0]).toMatch(/^OpenVPN Version: OpenVPN 2\.\d+\.\d+ /);
    expect(version.lines[1]).toBe('Management Version: 5');

    const status = await management.command('status 3');
    expect(status.lines[0]).toBe('OpenVPN STATISTICS');
    expect(status.lines).toContain('TCP/UDP read bytes,0');

    expect(await management.command('pid')).toEqual({ ok: true, text: `pid=${server.pid}`, lines: [] });
    expect(await management.command('bogus')).toEqual({
      ok: false,
      text: "unknown command, enter 'help' for more options",
      lines: [],
    });
  });

  it('sends `version 1`, which OpenVPN never answers, without waiting for a reply', async () => {
    await startOpenvpn([socketPath(), 'unix']);
    const management = client({ target: { path: socketPath() } });
    management.start();
    await once(management, 'up');
    expect(await management.command('version 1')).toEqual({ ok: true, text: '', lines: [] });
    expect((await management.command('log 2')).lines[0]).toMatch(/MANAGEMENT: CMD 'version 1'$/);
  });

  it('reads `log on all` history and then live log lines as notifications', async () => {
    await startOpenvpn([socketPath(), 'unix']);
    const management = client({ target: { path: socketPath() } });
    management.start();
    await once(management, 'up');
    const history = await management.command('log on all');
    expect(history.text).toBe('real-time log notification set to ON');
    expect(history.lines.some((line) => /^\d+,[A-Z]*,MANAGEMENT: Client connected from /.test(line))).toBe(true);

    const live = new Promise((resolve) => {
      management.on('notification', (message) => {
        if (message.type === 'log' && message.message === "MANAGEMENT: CMD 'pid'") {
          resolve(message);
        }
      });
    });
    await management.command('pid');
    expect(await live).toMatchObject({ type: 'log', flags: 'D' });
  });

  it('logs in with the right password over a unix socket and over TCP', async () => {
    const pw = passwordFile(PASSWORD);
    await startOpenvpn([socketPath(), 'unix', pw]);
    const overUnix = client({ target: { path: socketPath() }, password: PASSWORD });
    overUnix.start();
    await once(overUnix, 'up');
    expect((await overUnix.command('version')).ok).toBe(true);

    const port = await freePort();
    await startOpenvpn(['127.0.0.1', String(port), pw]);
    const overTcp = client({ target: { host: '127.0.0.1', port }, password: PASSWORD });
    const up = once(overTcp, 'up');
    overTcp.start();
    expect(await up).toEqual([{ managementVersion: 5 }]);
    expect(overTcp.target).toBe(`127.0.0.1:${port}`);
    expect((await overTcp.command('pid')).text).toMatch(/^pid=\d+$/);
  });

  it('reports a wrong password as `bad password` without ever showing it, and keeps retrying', async () => {
    const wrong = 'hunter2-wrong';
    await startOpenvpn([socketPath(), 'unix', passwordFile(PASSWORD)]);
    const management = client({ target: { path: socketPath() }, password: wrong });
    const reasons: string[] = [];
    management.on('down', (reason) => reasons.push(reason));
    const down = downWith(management, 'bad password');
    management.start();
    expect(await down).toBe('bad password');

    const refused = await management.command('version').catch((error: Error) => error.message);
    expect(refused).toBe(`management interface ${socketPath()} is not connected: bad password`);

    // The operator aligns the server's password file and restarts it: the retrying client gets in.
    const [old] = running;
    await stop(old, 'SIGTERM');
    const up = once(management, 'up');
    await startOpenvpn([socketPath(), 'unix', passwordFile(wrong)]);
    await up;
    expect((await management.command('version')).ok).toBe(true);
    expect(reasons.join('\n')).not.toContain(wrong);
    expect(refused).not.toContain(wrong);
  });

  it('says so when the interface wants a password and none, or no single line, is configured', async () => {
    await startOpenvpn([socketPath(), 'unix', passwordFile(PASSWORD)]);
    const withNone = client({ target: { path: socketPath() } });
    const down = downWith(withNone, /password/);
    withNone.start();
    expect(await down).toBe('the management interface asks for a password and none is configured');
    await withNone.close();

    const withTwoLines = client({ target: { path: socketPath() }, password: `${PASSWORD}\nsignal SIGTERM` });
    const refused = downWith(withTwoLines, /password/);
    withTwoLines.start();
    expect(await refused).toBe('the management password must be a single line');
  });

  it('goes down when the server stops and up again when it is back', async () => {
    let server = await startOpenvpn([socketPath(), 'unix']);
    const management = client({ target: { path: socketPath() } });
    const events: string[] = [];
    management.on('up', () => events.push('up'));
    management.on('down', (reason) => events.push(`down: ${reason}`));
    management.start();
    await once(management, 'up');

    const gone = downWith(management, 'ENOENT');
    await stop(server, 'SIGTERM');
    await gone;
    let back = once(management, 'up');
    server = await startOpenvpn([socketPath(), 'unix']);
    await back;
    expect(events.slice(0, 2)).toEqual(['up', 'down: socket closed']);
    expect(events.at(-1)).toBe('up');
    expect((await management.command('pid')).text).toBe(`pid=${server.pid}`);

    // Killed hard, OpenVPN leaves its socket file behind: connecting is refused until it is back.
    const refused = downWith(management, 'ECONNREFUSED');
    await stop(server, 'SIGKILL');
    await refused;
    back = once(management, 'up');
    server = await startOpenvpn([socketPath(), 'unix']);
    await back;
    expect((await management.command('pid')).text).toBe(`pid=${server.pid}`);
  });

  it('frees the interface on close, so the next client gets in; a waiting client reports why', async () => {
    await startOpenvpn([socketPath(), 'unix']);
    const first = client({ target: { path: socketPath() } });
    first.start();
    await once(first, 'up');
    expect((await first.command('version')).ok).toBe(true);

    const second = client({ target: { path: socketPath() }, greetingTimeoutMs: 300 });
    const waiting = downWith(second, /^no greeting/);
    second.start();
    expect(await waiting).toBe('no greeting within 300 ms (is another management client connected?)');

    const secondUp = once(second, 'up');
    await first.close();
    await secondUp;
    const history = await second.command('log all');
    expect(history.lines.some((line) => line.endsWith("MANAGEMENT: CMD 'quit'"))).toBe(true);
  });

  it('ends a connection whose command gets no reply, and reconnects once the server answers again', async () => {
    const server = await startOpenvpn([socketPath(), 'unix']);
    const management = client({ target: { path: socketPath() }, commandTimeoutMs: 300, greetingTimeoutMs: 300 });
    management.start();
    await once(management, 'up');

    const pid = server.pid as number;
    const back = once(management, 'up');
    process.kill(pid, 'SIGSTOP');
    try {
      const timedOut = downWith(management, /^command/);
      const failure = await management.command('version').catch((error: Error) => error.message);
      expect(failure).toBe("management connection ended: command 'version' got no reply within 300 ms");
      expect(await timedOut).toBe("command 'version' got no reply within 300 ms");
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await back;
    expect((await management.command('pid')).text).toBe(`pid=${pid}`);
  });

  it('refuses a command while down and a command that spans lines', async () => {
    const management = client({ target: { path: socketPath() } });
    await expect(management.command('version')).rejects.toThrow(
      `management interface ${socketPath()} is not connected`
    );
    await startOpenvpn([socketPath(), 'unix']);
    management.start();
    await once(management, 'up');
    await expect(management.command('pid\nkill user1')).rejects.toThrow('a management command must be a single line');
  });
});
