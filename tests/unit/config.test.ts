import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, configFromDocument, loadConfigFile, readSecret } from '../../backend/src/config';
import { makeTempDir } from '../support/temp-dir';

const problemsOf = (document: unknown): string[] => {
  try {
    configFromDocument(document, 'vpnscope.yaml', '/etc/vpnscope');
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('fills in defaults: loopback on 9234, 10 s polls, a database beside the config', () => {
    const config = configFromDocument(
      { servers: [{ name: 'udp1194', statusFile: 'status.log' }] },
      'vpnscope.yaml',
      '/etc/vpnscope'
    );
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9234 });
    expect(config.pollInterval).toBe(10);
    expect(config.database).toBe('/etc/vpnscope/vpnscope.db');
    expect(config.servers[0]).toMatchObject({ kind: 'openvpn', statusFile: '/etc/vpnscope/status.log' });
    expect(config.metrics).toEqual({ perUser: false, exporterCompat: false });
  });

  it('names an unknown key and where it is', () => {
    expect(problemsOf({ servers: [{ name: 'a', statusfile: '/x' }] })).toContain(
      'servers[0]: unknown key "statusfile"'
    );
  });

  it('names a key of the wrong type', () => {
    expect(problemsOf({ pollInterval: 'often' })).toEqual(['pollInterval: must be number']);
  });

  it('lists the allowed values of an enumerated key', () => {
    expect(
      problemsOf({ servers: [{ name: 'a', statusFile: '/x', management: { socket: '/s', mode: 'sometimes' } }] })
    ).toEqual(['servers[0].management.mode: must be one of "stream", "poll"']);
  });

  it('reports every problem at once, not just the first', () => {
    expect(problemsOf({ listen: { port: 70000 }, servers: [{ statusFile: '/x' }] })).toHaveLength(2);
  });

  it('rejects two servers with one name and servers with nothing to read', () => {
    expect(
      problemsOf({
        servers: [
          { name: 'a', statusFile: '/x' },
          { name: 'a', statusFile: '/y' },
          { name: 'b' },
          { name: 'p', kind: 'pptpd' },
        ],
      })
    ).toEqual([
      'servers[1].name: "a" is used by another server',
      'servers[2]: an openvpn server needs "statusFile", "management" or "openvpnConfig"',
      'servers[3]: a pptpd server needs "syslog" (the log file pppd writes to)',
    ]);
  });

  it('needs either a socket or host and port for management', () => {
    expect(problemsOf({ servers: [{ name: 'a', management: { host: '127.0.0.1' } }] })).toEqual([
      'servers[0].management: give either "socket" or "host" and "port"',
    ]);
  });

  describe('from a file', () => {
    let temp: ReturnType<typeof makeTempDir>;
    beforeEach(() => (temp = makeTempDir()));
    afterEach(() => temp.cleanup());

    it('reads YAML and resolves paths relative to the file', () => {
      const file = path.join(temp.dir, 'vpnscope.yaml');
      fs.writeFileSync(
        file,
        'database: data/v.db\napi:\n  tokenFile: token\nservers:\n  - name: main\n    statusFile: ./status.log\n'
      );
      const config = loadConfigFile(file);
      expect(config.api.tokenFile).toBe(path.join(temp.dir, 'token'));
      expect(config.database).toBe(path.join(temp.dir, 'data/v.db'));
      expect(config.servers[0].statusFile).toBe(path.join(temp.dir, 'status.log'));
    });

    it('says which file is not YAML', () => {
      const file = path.join(temp.dir, 'broken.yaml');
      fs.writeFileSync(file, 'servers: [\n');
      expect(() => loadConfigFile(file)).toThrow(/broken\.yaml: not valid YAML/);
    });

    it('says which file is missing', () => {
      expect(() => loadConfigFile(path.join(temp.dir, 'nope.yaml'))).toThrow(/nope\.yaml: cannot read the file/);
    });

    it('reads secrets from a file or the environment, never requiring them inline', () => {
      const secretFile = path.join(temp.dir, 'token');
      fs.writeFileSync(secretFile, 's3cret\n');
      expect(readSecret(undefined, secretFile, undefined)).toBe('s3cret');
      expect(readSecret(undefined, undefined, 'VPNSCOPE_TEST_TOKEN', { VPNSCOPE_TEST_TOKEN: 'from-env' })).toBe(
        'from-env'
      );
      expect(() => readSecret(undefined, undefined, 'VPNSCOPE_MISSING', {})).toThrow(
        'environment variable VPNSCOPE_MISSING is not set'
      );
      expect(readSecret(undefined, undefined, undefined)).toBeUndefined();
    });
  });
});
