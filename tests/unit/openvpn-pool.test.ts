import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseOpenVpnConfig, type OpenVpnServerConfig } from '../../backend/src/parsers/openvpn-config';
import { poolCapacity } from '../../backend/src/parsers/openvpn-pool';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');
const config = (text: string): OpenVpnServerConfig => parseOpenVpnConfig(text).value;
const sizeOf = (text: string, version?: string) => poolCapacity(config(text), version)?.size ?? null;

describe('poolCapacity', () => {
  it('matches the size the real 2.6.14 server logged for server /24 with topology subnet', () => {
    const logged = /IFCONFIG POOL IPv4: base=\S+ size=(\d+)/.exec(
      fs.readFileSync(path.join(FIXTURES, 'mgmt-log-on-all.txt'), 'utf8')
    );
    expect(logged?.[1]).toBe('253');
    expect(poolCapacity(config('dev tun\ntopology subnet\nserver 198.19.0.0 255.255.255.0\n'), '2.6.14')).toEqual({
      size: 253,
      rule: 'server 198.19.0.0/24 with topology subnet on OpenVPN 2.6.14: pool 198.19.0.2-198.19.0.254, 253 addresses',
    });
  });

  it('gives net30 one /30 per client: 62 on a /24, as servers log "IFCONFIG POOL: base=10.8.0.4 size=62"', () => {
    expect(poolCapacity(config('dev tun\ntopology net30\nserver 198.19.0.0 255.255.255.0'), '2.4.12')).toEqual({
      size: 62,
      rule: 'server 198.19.0.0/24 with topology net30 on OpenVPN 2.4.12: pool 198.19.0.4-198.19.0.251, 62 clients of one /30 each',
    });
  });

  it('defaults the topology to net30 before 2.7 and to subnet from 2.7', () => {
    const conf = 'dev tun\nserver 198.19.0.0 255.255.255.0';
    expect(sizeOf(conf, '2.6.14')).toBe(62);
    expect(sizeOf(conf, '2.7.0')).toBe(253);
    expect(poolCapacity(config(conf), '2.7_rc2')?.rule).toContain('topology subnet (the default from 2.7)');
  });

  it('ends a subnet pool at broadcast-2 before 2.5.5 and at broadcast-1 from 2.5.5', () => {
    const conf = 'dev tun\ntopology subnet\nserver 198.19.0.0 255.255.255.0';
    expect(sizeOf(conf, '2.4.12')).toBe(252);
    expect(sizeOf(conf, '2.5')).toBe(252);
    expect(sizeOf(conf, '2.5.4')).toBe(252);
    expect(sizeOf(conf, '2.5.5')).toBe(253);
    expect(sizeOf(conf, '2.6.0')).toBe(253);
  });

  it('gives topology p2p single addresses over the net30 range', () => {
    expect(sizeOf('dev tun\ntopology p2p\nserver 198.19.0.0 255.255.255.0', '2.6.14')).toBe(248);
  });

  it('gives dev tap the whole subnet but the server and broadcast addresses, in every release', () => {
    expect(sizeOf('dev tap0\nserver 198.19.0.0 255.255.255.0', '2.3.18')).toBe(253);
    expect(sizeOf('dev vpn\ndev-type tap\nserver 198.19.0.0 255.255.255.0', '2.6.14')).toBe(253);
  });

  it('counts an explicit ifconfig-pool', () => {
    const conf =
      'dev tun\ntopology subnet\nserver 198.19.0.0 255.255.255.0 nopool\nifconfig-pool 198.19.0.100 198.19.0.199';
    expect(poolCapacity(config(conf), '2.6.14')).toEqual({
      size: 100,
      rule: 'ifconfig-pool 198.19.0.100 198.19.0.199 with topology subnet on OpenVPN 2.6.14: pool 198.19.0.100-198.19.0.199, 100 addresses',
    });
    expect(sizeOf('dev tun\ntopology net30\nifconfig-pool 198.19.0.4 198.19.0.251', '2.6.14')).toBe(62);
  });

  it('caps the pool at max-clients, and at its default of 1024', () => {
    expect(
      poolCapacity(config('dev tun\ntopology subnet\nserver 198.19.0.0 255.255.255.0\nmax-clients 100'), '2.6.14')
    ).toEqual({
      size: 100,
      rule: 'server 198.19.0.0/24 with topology subnet on OpenVPN 2.6.14: pool 198.19.0.2-198.19.0.254, 253 addresses, capped at 100 by max-clients',
    });
    expect(poolCapacity(config('dev tun\ntopology subnet\nserver 198.19.0.0 255.255.0.0'), '2.6.14')?.rule).toBe(
      "server 198.19.0.0/16 with topology subnet on OpenVPN 2.6.14: pool 198.19.0.2-198.19.255.254, 65533 addresses, capped at 1024 by max-clients' default"
    );
  });

  it('has no pool with nopool and no ifconfig-pool, or with no server at all', () => {
    expect(poolCapacity(config('dev tun\nserver 198.19.0.0 255.255.255.0 nopool'), '2.6.14')).toBeNull();
    expect(poolCapacity(config('dev tun\nport 1194'), '2.6.14')).toBeNull();
  });

  it('has none where OpenVPN would refuse to start', () => {
    // server beside an explicit pool; host bits in the network; a non-contiguous mask; a network
    // over a /16; a pool under 2 (fatal from 2.5); a range of more than IFCONFIG_POOL_MAX addresses
    expect(
      sizeOf('dev tun\nserver 198.19.0.0 255.255.255.0\nifconfig-pool 198.19.0.10 198.19.0.20', '2.6.14')
    ).toBeNull();
    expect(sizeOf('dev tun\ntopology subnet\nserver 198.19.0.1 255.255.255.0', '2.6.14')).toBeNull();
    expect(sizeOf('dev tun\ntopology subnet\nserver 198.19.0.0 255.0.255.0', '2.6.14')).toBeNull();
    expect(sizeOf('dev tun\ntopology subnet\nserver 198.18.0.0 255.254.0.0', '2.6.14')).toBeNull();
    expect(sizeOf('dev tun\ntopology net30\nserver 198.19.0.0 255.255.255.248', '2.6.14')).toBeNull();
    expect(sizeOf('dev tun\ntopology net30\nserver 198.19.0.0 255.255.255.248', '2.4.12')).toBe(1);
    expect(sizeOf('dev tun\nifconfig-pool 198.18.0.0 198.19.0.0', '2.6.14')).toBeNull();
  });

  it('assumes 2.6 when the version is unknown, and says so', () => {
    const pool = poolCapacity(config('dev tun\ntopology subnet\nserver 198.19.0.0 255.255.255.0'));
    expect(pool).toEqual({ size: 253, rule: expect.stringContaining('on OpenVPN 2.6 (version unknown, assumed)') });
  });

  it('never gives a larger network a smaller pool, and stays within max-clients', () => {
    const version = fc.constantFrom(undefined, '2.3.18', '2.4.12', '2.5.0', '2.5.5', '2.6.14', '2.7.0');
    const layout = fc.constantFrom(
      'dev tun\ntopology net30',
      'dev tun\ntopology p2p',
      'dev tun\ntopology subnet',
      'dev tun',
      'dev tap'
    );
    fc.assert(
      fc.property(
        version,
        layout,
        fc.integer({ min: 16, max: 28 }),
        fc.option(fc.integer({ min: 1, max: 100000 })),
        (v, dev, bits, max) => {
          const at = (prefix: number) => {
            const mask = (2 ** 32 - 2 ** (32 - prefix)) >>> 0;
            const netmask = [mask >>> 24, (mask >>> 16) & 255, (mask >>> 8) & 255, mask & 255].join('.');
            const maxClients = max === null ? '' : `\nmax-clients ${max}`;
            return poolCapacity(config(`${dev}\nserver 198.18.0.0 ${netmask}${maxClients}`), v);
          };
          const larger = at(bits);
          const smaller = at(bits + 1);
          expect(larger).not.toBeNull();
          expect(larger!.size).toBeGreaterThanOrEqual(smaller?.size ?? 0);
          expect(larger!.size).toBeLessThanOrEqual(Math.min(max ?? 1024, 2 ** (32 - bits)));
          expect(larger!.size).toBeGreaterThan(0);
        }
      ),
      { numRuns: 300 }
    );
  });
});
