import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../backend/src/load-config';
import { configuredPoolSize } from '../../backend/src/sources/openvpn/configured-pool';
import { makeTempDir } from '../support/temp-dir';

describe('configuration discovered from /etc/openvpn', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dirs: Array<{ dir: string; runtimeStatus: (name: string) => string }>;

  beforeEach(() => {
    temp = makeTempDir();
    const serverDir = path.join(temp.dir, 'openvpn/server');
    fs.mkdirSync(serverDir, { recursive: true });
    fs.writeFileSync(
      path.join(serverDir, 'udp1194.conf'),
      [
        '# the main server',
        'port 1194',
        'proto udp',
        'dev tun',
        'topology subnet',
        'server 198.19.0.0 255.255.255.0',
        'status /run/openvpn-server/udp.log 10',
        'status-version 3',
        'management /run/openvpn-server/udp.sock unix',
        '<ca>',
        '-----BEGIN CERTIFICATE-----',
        '-----END CERTIFICATE-----',
        '</ca>',
      ].join('\n')
    );
    fs.writeFileSync(
      path.join(serverDir, 'tcp443.conf'),
      'port 443\nproto tcp-server\nserver 198.19.1.0 255.255.255.0\nmax-clients 40\n'
    );
    fs.writeFileSync(path.join(temp.dir, 'openvpn/laptop.conf'), 'client\nremote vpn.example 1194\n');
    dirs = [
      { dir: serverDir, runtimeStatus: (name) => `/run/openvpn-server/status-${name}.log` },
      { dir: path.join(temp.dir, 'openvpn'), runtimeStatus: (name) => `/run/openvpn/${name}.status` },
    ];
  });
  afterEach(() => temp.cleanup());

  it('watches each server config it finds, with its status file and management socket', () => {
    const { config, origin, notes } = loadConfig(undefined, {}, dirs);
    expect(origin).toMatch(/^discovered in /);
    expect(config.servers).toEqual([
      expect.objectContaining({ name: 'tcp443', statusFile: '/run/openvpn-server/status-tcp443.log' }),
      expect.objectContaining({
        name: 'udp1194',
        statusFile: '/run/openvpn-server/udp.log',
        management: { socket: '/run/openvpn-server/udp.sock', passwordFile: undefined, mode: 'poll' },
      }),
    ]);
    expect(notes.join('\n')).toContain('status file /run/openvpn-server/status-tcp443.log (systemd default)');
    expect(notes.join('\n')).toMatch(/laptop\.conf: not a server config .*skipped/);
  });

  it('derives each pool size from the server config', () => {
    const { config } = loadConfig(undefined, {}, dirs);
    const [tcp, udp] = config.servers;
    expect(configuredPoolSize(udp, '2.6.14').size).toBe(253);
    expect(configuredPoolSize(tcp, '2.6.14').size).toBe(40);
    expect(configuredPoolSize(udp, '2.6.14').source).toContain('udp1194.conf');
  });

  it('says plainly when there is nothing to watch', () => {
    const { config, notes } = loadConfig(undefined, {}, [
      { dir: path.join(temp.dir, 'none'), runtimeStatus: (n) => n },
    ]);
    expect(config.servers).toEqual([]);
    expect(notes.at(-1)).toMatch(/no vpnscope\.yaml and no OpenVPN server config in .*none: nothing to watch yet/);
  });

  it('prefers $VPNSCOPE_CONFIG over discovery', () => {
    const file = path.join(temp.dir, 'vpnscope.yaml');
    fs.writeFileSync(file, 'servers:\n  - name: only\n    statusFile: /tmp/s.log\n');
    const { config, origin } = loadConfig(undefined, { VPNSCOPE_CONFIG: file }, dirs);
    expect(origin).toBe(file);
    expect(config.servers.map((server) => server.name)).toEqual(['only']);
  });
});
