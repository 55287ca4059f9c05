import fs from 'node:fs';
import path from 'node:path';
import { fixturesDir, runCli } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';

jest.setTimeout(60_000);

describe('vpnscope status', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let config: string;

  beforeAll(() => {
    temp = makeTempDir();
    fs.copyFileSync(path.join(fixturesDir, 'status-v2.log'), path.join(temp.dir, 'small.log'));
    fs.copyFileSync(path.join(fixturesDir, 'status-v3.log'), path.join(temp.dir, 'large.log'));
    fs.writeFileSync(
      path.join(temp.dir, 'large.conf'),
      'port 443\nproto tcp-server\ndev tun\ntopology subnet\nserver 198.19.0.0 255.255.255.0\nstatus large.log 10\n'
    );
    config = path.join(temp.dir, 'vpnscope.yaml');
    fs.writeFileSync(
      config,
      [
        'servers:',
        '  - name: small',
        '    statusFile: small.log',
        '    poolSize: 4',
        '  - name: large',
        '    statusFile: large.log',
        '    openvpnConfig: large.conf',
        '    openvpnVersion: "2.6.14"',
        '',
      ].join('\n')
    );
  });
  afterAll(() => temp.cleanup());

  it('prints eduVPN-style CSV for every server, read from the live status files', async () => {
    const result = await runCli(['--config', config, 'status']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'profile_id,active_connection_count,max_connection_count,percentage_in_use\nsmall,3,4,75\nlarge,3,253,1\n'
    );
  });

  it('lists only pools at or above --alert and exits 2 so cron can tell', async () => {
    const result = await runCli(['--config', config, 'status', '--alert', '70']);
    expect(result.code).toBe(2);
    expect(result.stdout.trim().split('\n')).toEqual([
      'profile_id,active_connection_count,max_connection_count,percentage_in_use',
      'small,3,4,75',
    ]);
  });

  it('prints nothing and exits 0 when no pool reaches the default 90 %', async () => {
    const result = await runCli(['--config', config, 'status', '--alert']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('adds users and their virtual addresses with --json --connections', async () => {
    const result = await runCli(['--config', config, 'status', '--json', '--connections']);
    const [small, large] = JSON.parse(result.stdout);
    expect(small).toMatchObject({
      profile_id: 'small',
      active_connection_count: 3,
      port_client_count: { 'udp/1194': 3 },
    });
    expect(large.port_client_count).toEqual({ 'tcp/443': 3 });
    expect(small.connection_list).toContainEqual(
      expect.objectContaining({
        user_id: 'user2',
        virtual_address: ['198.19.0.3', '2001:db8:100::1001'],
        real_address: '198.18.0.2:50799',
      })
    );
  });

  it('says which server it could not read and exits 1, still printing the others', async () => {
    const broken = path.join(temp.dir, 'broken.yaml');
    fs.writeFileSync(
      broken,
      'servers:\n  - name: gone\n    statusFile: /nonexistent/status.log\n  - name: small\n    statusFile: small.log\n    poolSize: 4\n'
    );
    const result = await runCli(['--config', broken, 'status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('vpnscope: gone: cannot read /nonexistent/status.log');
    expect(result.stdout).toContain('small,3,4,75');
  });

  it('names the bad key of a broken configuration', async () => {
    const bad = path.join(temp.dir, 'bad.yaml');
    fs.writeFileSync(bad, 'servers:\n  - name: x\n    statusfile: a.log\n');
    const result = await runCli(['--config', bad, 'status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('servers[0]: unknown key "statusfile"');
  });
});
