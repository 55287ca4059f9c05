import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { StatusClient, StatusReport } from '../../backend/src/model';
import { parseStatus } from '../../backend/src/parsers/openvpn-status';
import { formatStatus, hostRoutes, type OpenVpnRelease } from '../support/openvpn-status-writer';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** The `status 1` and `status 2` replies inside the captured management session. */
function managementReplies(): { version1: string; version2: string } {
  const session = fixture('mgmt-status-kill.txt');
  const v1Start = session.indexOf('OpenVPN CLIENT LIST');
  const v1End = session.indexOf('END\r\n', v1Start) + 5;
  const v2Start = session.indexOf('TITLE,');
  const v2End = session.indexOf('END\r\n', v2Start) + 5;
  return { version1: session.slice(v1Start, v1End), version2: session.slice(v2Start, v2End) };
}

/** What a v1 report can say about a client: no username, ids or cipher. */
const version1View = (client: StatusClient) => ({
  ...client,
  username: undefined,
  clientId: undefined,
  peerId: undefined,
  cipher: undefined,
});

describe('parseStatus on real OpenVPN 2.6.14 captures', () => {
  it('reads status-version 1, joining virtual IPv4 and IPv6 addresses from the routing table', () => {
    const { value, issues, complete } = parseStatus(fixture('status-v1.log'));
    expect(issues).toEqual([]);
    expect(complete).toBe(true);
    expect(value.format).toBe(1);
    expect(value.updatedAt).toBe(Date.UTC(2026, 10, 21, 15, 38, 32) / 1000);
    expect(value.clients).toEqual([
      {
        commonName: 'user1',
        realAddress: '198.18.0.2:40822',
        realIp: '198.18.0.2',
        realPort: 40822,
        virtualIpv4: '198.19.0.2',
        virtualIpv6: '2001:db8:100::1000',
        bytesReceived: 2227,
        bytesSent: 2131,
        connectedSince: Date.UTC(2026, 10, 21, 15, 38, 26) / 1000,
      },
      expect.objectContaining({ commonName: 'user2', virtualIpv4: '198.19.0.3', virtualIpv6: '2001:db8:100::1001' }),
      expect.objectContaining({ commonName: 'user3', virtualIpv4: '198.19.0.4', virtualIpv6: '2001:db8:100::1002' }),
    ]);
    expect(value.routes).toHaveLength(6);
    expect(value.globalStats).toEqual({ 'Max bcast/mcast queue length': '3' });
  });

  it.each(['status-v2.log', 'status-v3.log'])('skips the routing table of %s when asked, and nothing else', (name) => {
    const full = parseStatus(fixture(name));
    const sessionsOnly = parseStatus(fixture(name), { routes: false });
    expect(full.value.routes.length).toBeGreaterThan(0);
    expect(sessionsOnly).toEqual({ ...full, value: { ...full.value, routes: [] } });
  });

  it('still joins version 1 virtual addresses from its routing table when routes are not asked for', () => {
    const { value } = parseStatus(fixture('status-v1.log'), { routes: false });
    expect(value.clients.map((client) => client.virtualIpv4)).toEqual(['198.19.0.2', '198.19.0.3', '198.19.0.4']);
  });

  it('reads status-version 2 with time_t, client and peer ids, cipher and global stats', () => {
    const { value, issues, complete } = parseStatus(fixture('status-v2.log'));
    expect(issues).toEqual([]);
    expect(complete).toBe(true);
    expect(value.format).toBe(2);
    expect(value.title).toMatch(/^OpenVPN 2\.6\.14 x86_64-pc-linux-gnu /);
    expect(value.updatedAt).toBe(1795275519);
    expect(value.clients.map((client) => client.commonName)).toEqual(['user2', 'user3', 'user1']);
    expect(value.clients[2]).toEqual({
      commonName: 'user1',
      username: undefined,
      realAddress: '198.18.0.2:57459',
      realIp: '198.18.0.2',
      realPort: 57459,
      virtualIpv4: '198.19.0.2',
      virtualIpv6: '2001:db8:100::1000',
      bytesReceived: 2187,
      bytesSent: 2172,
      connectedSince: 1795275513,
      clientId: 0,
      peerId: 0,
      cipher: 'AES-256-GCM',
    });
    expect(value.routes[0]).toEqual({
      virtualAddress: '2001:db8:100::1002',
      cached: false,
      commonName: 'user3',
      realAddress: '198.18.0.2:41115',
      lastRef: 1795275513,
    });
    expect(value.globalStats).toEqual({ 'Max bcast/mcast queue length': '3', dco_enabled: '0' });
  });

  it('reads status-version 3 (tab separated) the same way', () => {
    const { value, issues, complete } = parseStatus(fixture('status-v3.log'));
    expect(issues).toEqual([]);
    expect(complete).toBe(true);
    expect(value.format).toBe(3);
    expect(value.clients.map(({ commonName, clientId, peerId }) => [commonName, clientId, peerId])).toEqual([
      ['user6', 7, 2],
      ['user1', 3, 1],
      ['user2', 4, 0],
    ]);
    expect(value.clients[0]).toMatchObject({
      realAddress: '198.18.0.2:43983',
      virtualIpv4: '198.19.0.7',
      virtualIpv6: '2001:db8:100::1005',
      bytesReceived: 2309,
      bytesSent: 2178,
      connectedSince: 1795275492,
    });
    expect(value.routes).toHaveLength(6);
    expect(value.globalStats.dco_enabled).toBe('0');
  });

  it("reads the management interface's status 1 and status 2 replies of one moment to the same clients", () => {
    const { version1, version2 } = managementReplies();
    const one = parseStatus(version1);
    const two = parseStatus(version2);
    expect([one.issues, two.issues]).toEqual([[], []]);
    expect([one.complete, two.complete]).toEqual([true, true]);
    expect(two.value.clients).toHaveLength(3);
    // v1's local-time text (read with TZ=UTC) lands on v2's time_t
    expect(one.value.clients).toEqual(two.value.clients.map(version1View));
    expect(one.value.routes).toEqual(two.value.routes);
    expect(one.value.updatedAt).toBe(two.value.updatedAt);
  });

  it('reads a time text to the instant of its time_t column when the time_t column is missing', () => {
    const withoutTimeT = fixture('status-v2.log')
      .split('\n')
      .map((line) => line.split(','))
      .map((fields) =>
        fields[0] === 'CLIENT_LIST' || (fields[0] === 'HEADER' && fields[1] === 'CLIENT_LIST')
          ? fields.filter((_, index) => index !== 9)
          : fields
      )
      .map((fields) => fields.join(','))
      .join('\n');
    expect(withoutTimeT).not.toContain('Connected Since (time_t)');
    const { value, issues } = parseStatus(withoutTimeT);
    expect(issues).toEqual([]);
    expect(value.clients.map((client) => client.connectedSince)).toEqual([1795275513, 1795275513, 1795275513]);
  });

  it('skips management notifications interleaved with a status reply', () => {
    const { version2 } = managementReplies();
    const interleaved = version2.replace('HEADER,ROUTING_TABLE', '>BYTECOUNT_CLI:0,2379,2403\r\nHEADER,ROUTING_TABLE');
    const { value, issues } = parseStatus(interleaved);
    expect(issues).toEqual([]);
    expect(value.clients).toHaveLength(3);
  });
});

describe('parseStatus across OpenVPN releases', () => {
  it('reads 2.3 reports: ctime text, no IPv6 virtual address, no client id, peer id or cipher', () => {
    const text = [
      'TITLE,OpenVPN 2.3.18 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [EPOLL] [PKCS11] [MH] [IPv6]',
      'TIME,Thu Mar 16 17:09:03 2017,1489684143',
      'HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Bytes Received,Bytes Sent,Connected Since,Connected Since (time_t),Username',
      'CLIENT_LIST,alice,198.18.0.10:1194,198.19.0.6,3000,4000,Thu Mar  2 09:00:00 2017,1488445200,alice',
      'HEADER,ROUTING_TABLE,Virtual Address,Common Name,Real Address,Last Ref,Last Ref (time_t)',
      'ROUTING_TABLE,198.19.0.6,alice,198.18.0.10:1194,Thu Mar 16 17:09:00 2017,1489684140',
      'GLOBAL_STATS,Max bcast/mcast queue length,0',
      'END',
      '',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.updatedAt).toBe(1489684143);
    expect(value.clients).toEqual([
      {
        commonName: 'alice',
        username: 'alice',
        realAddress: '198.18.0.10:1194',
        realIp: '198.18.0.10',
        realPort: 1194,
        virtualIpv4: '198.19.0.6',
        bytesReceived: 3000,
        bytesSent: 4000,
        connectedSince: 1488445200,
      },
    ]);
  });

  it('reads 2.3 and 2.4 status-version 1 ctime texts, one-digit days included, as local time', () => {
    const text = [
      'OpenVPN CLIENT LIST',
      'Updated,Thu Mar 16 17:09:03 2017',
      'Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since',
      'alice,198.18.0.10:1194,3000,4000,Thu Mar  2 09:00:00 2017',
      'ROUTING TABLE',
      'Virtual Address,Common Name,Real Address,Last Ref',
      '198.19.0.6,alice,198.18.0.10:1194,Thu Mar 16 17:09:00 2017',
      'GLOBAL STATS',
      'Max bcast/mcast queue length,0',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.updatedAt).toBe(1489684143);
    expect(value.clients[0]).toMatchObject({ connectedSince: 1488445200, virtualIpv4: '198.19.0.6' });
    expect(value.routes[0].lastRef).toBe(1489684140);
  });

  it('reads 2.4 reports: IPv6 virtual address, client id and peer id, but no cipher', () => {
    const text = [
      'TITLE\tOpenVPN 2.4.12 x86_64-pc-linux-gnu',
      'TIME\tTue May  4 10:05:00 2021\t1620122700',
      'HEADER\tCLIENT_LIST\tCommon Name\tReal Address\tVirtual Address\tVirtual IPv6 Address\tBytes Received\tBytes Sent\tConnected Since\tConnected Since (time_t)\tUsername\tClient ID\tPeer ID',
      'CLIENT_LIST\tbob\t198.18.0.11:40000\t198.19.0.10\t2001:db8::10\t10\t20\tTue May  4 10:00:00 2021\t1620122400\tUNDEF\t12\t3',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.clients[0]).toMatchObject({
      virtualIpv6: '2001:db8::10',
      clientId: 12,
      peerId: 3,
      username: undefined,
      cipher: undefined,
      connectedSince: 1620122400,
    });
  });

  it('reads 2.5 reports with the Data Channel Cipher column', () => {
    const text = [
      'HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,Bytes Sent,Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher',
      'CLIENT_LIST,carol,198.18.0.12:50000,198.19.0.14,,5,6,2021-05-04 10:00:00,1620122400,carol,2,0,CHACHA20-POLY1305',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.clients[0]).toMatchObject({ cipher: 'CHACHA20-POLY1305', virtualIpv6: undefined, username: 'carol' });
  });

  it("normalises 2.7's protocol-prefixed real addresses and keeps the protocol and port", () => {
    const header =
      'HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,Bytes Sent,Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher';
    const row = (cn: string, real: string) =>
      `CLIENT_LIST,${cn},${real},198.19.0.20,,1,2,2026-11-21 15:00:00,1795273200,UNDEF,1,1,AES-256-GCM`;
    const text = [
      header,
      row('udp', 'udp4:198.18.0.13:1194'),
      row('tcp', 'tcp4-server:198.18.0.14:443'),
      row('v6', 'udp6:[2001:db8::5]:1194'),
      row('mapped', 'udp6:198.18.0.15:5000'),
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(
      value.clients.map(({ realAddress, realIp, realPort, protocol }) => ({ realAddress, realIp, realPort, protocol }))
    ).toEqual([
      { realAddress: '198.18.0.13:1194', realIp: '198.18.0.13', realPort: 1194, protocol: 'udp4' },
      { realAddress: '198.18.0.14:443', realIp: '198.18.0.14', realPort: 443, protocol: 'tcp4-server' },
      { realAddress: '2001:db8::5', realIp: '2001:db8::5', realPort: 1194, protocol: 'udp6' },
      { realAddress: '198.18.0.15:5000', realIp: '198.18.0.15', realPort: 5000, protocol: 'udp6' },
    ]);
  });

  it("reads 2.6's bare IPv6 real address, which has no port", () => {
    const text = [
      'OpenVPN CLIENT LIST',
      'Updated,2026-11-21 15:40:00',
      'Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since',
      'dave,2001:db8::7,100,200,2026-11-21 15:39:58',
      'ROUTING TABLE',
      'Virtual Address,Common Name,Real Address,Last Ref',
      '198.19.0.30,dave,2001:db8::7,2026-11-21 15:39:58',
      'GLOBAL STATS',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.clients[0]).toMatchObject({
      realAddress: '2001:db8::7',
      realIp: '2001:db8::7',
      realPort: undefined,
      virtualIpv4: '198.19.0.30',
      connectedSince: 1795275598,
    });
  });
});

describe('parseStatus on awkward rows', () => {
  const v2Header =
    'HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,Bytes Sent,Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher';

  it('keeps an unauthenticated UNDEF row: no username, no virtual address, no peer id', () => {
    const text = [
      v2Header,
      'CLIENT_LIST,UNDEF,198.18.0.16:6000,,,120,0,2026-11-21 15:39:58,1795275598,UNDEF,9,16777215,',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.clients[0]).toMatchObject({ commonName: 'UNDEF', clientId: 9 });
    const { username, virtualIpv4, virtualIpv6, peerId, cipher } = value.clients[0];
    expect([username, virtualIpv4, virtualIpv6, peerId, cipher]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('keeps both sessions of a duplicate common name, each with its own v1 virtual address', () => {
    const text = [
      'OpenVPN CLIENT LIST',
      'Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since',
      'erin,198.18.0.17:1000,1,2,2026-11-21 15:00:00',
      'erin,198.18.0.18:2000,3,4,2026-11-21 15:10:00',
      'ROUTING TABLE',
      'Virtual Address,Common Name,Real Address,Last Ref',
      '198.19.0.41,erin,198.18.0.18:2000,2026-11-21 15:10:00',
      '198.19.0.40C,erin,198.18.0.17:1000,2026-11-21 15:00:00',
      '198.19.9.0/24,erin,198.18.0.17:1000,2026-11-21 15:00:00',
      'GLOBAL STATS',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.clients.map((client) => [client.realAddress, client.virtualIpv4])).toEqual([
      ['198.18.0.17:1000', '198.19.0.40'],
      ['198.18.0.18:2000', '198.19.0.41'],
    ]);
    expect(value.routes[1]).toMatchObject({ virtualAddress: '198.19.0.40', cached: true });
  });

  it('maps columns by header name and ignores a column it does not know', () => {
    const text = [
      'HEADER,CLIENT_LIST,Common Name,Bytes Dropped,Real Address,Bytes Received,Bytes Sent,Connected Since (time_t),Future Column',
      'CLIENT_LIST,frank,77,198.18.0.19:3000,10,20,1795273200,whatever',
      'END',
    ].join('\n');
    const { value, issues } = parseStatus(text);
    expect(issues).toEqual([]);
    expect(value.clients[0]).toMatchObject({
      commonName: 'frank',
      bytesReceived: 10,
      bytesSent: 20,
      connectedSince: 1795273200,
    });
  });

  it('parses the rows before a tear and reports the file incomplete, leaving out the cut line', () => {
    const whole = fixture('status-v2.log');
    const cut = whole.indexOf('CLIENT_LIST,user3') + 30;
    const { value, issues, complete } = parseStatus(whole.slice(0, cut));
    expect(complete).toBe(false);
    expect(issues).toEqual([]);
    expect(value.clients.map((client) => client.commonName)).toEqual(['user2']);
  });

  it('reports a file cut just before END as incomplete', () => {
    const whole = fixture('status-v1.log');
    const { value, complete } = parseStatus(whole.slice(0, whole.indexOf('END')));
    expect(complete).toBe(false);
    expect(value.clients).toHaveLength(3);
  });

  it('ignores what follows END: the stale tail of a longer earlier write', () => {
    const { value, issues, complete } = parseStatus(
      `${fixture('status-v2.log')}LIST,user9,198.18.0.2:1,garbage\nEND\n`
    );
    expect([complete, issues, value.clients.length]).toEqual([true, [], 3]);
  });

  it('counts each garbage line as an issue with its line number and parses the rest', () => {
    const lines = fixture('status-v2.log').split('\n');
    lines.splice(4, 0, 'this is not a status line');
    lines.splice(6, 0, 'CLIENT_LIST,gina,198.18.0.20:1,,,lots,2,2026-11-21 15:38:33,1795275513,UNDEF,5,5,AES-256-GCM');
    lines.splice(7, 0, 'CLIENT_LIST,too,few');
    const { value, issues, complete } = parseStatus(lines.join('\n'));
    expect(complete).toBe(true);
    expect(value.clients).toHaveLength(3);
    expect(issues).toEqual([
      { line: 5, message: "unknown record or too few fields: 'this is not a status line'" },
      {
        line: 7,
        message: "CLIENT_LIST row has 'lots' in column 'Bytes Received', expected a non-negative integer",
      },
      { line: 8, message: 'CLIENT_LIST row has 3 fields where its header calls for 13' },
    ]);
  });

  it('names the bad real address and why', () => {
    const text = [v2Header, 'CLIENT_LIST,h,198.18.0.21:99999,,,1,2,x,1795273200,UNDEF,1,1,', 'END'].join('\n');
    expect(parseStatus(text).issues).toEqual([
      { line: 2, message: "CLIENT_LIST row has Real Address '198.18.0.21:99999': no valid port (0-65535)" },
    ]);
  });

  it('reads \\r\\n line endings', () => {
    const { value, issues, complete } = parseStatus(fixture('status-v3.log').replace(/\n/g, '\r\n'));
    expect([issues, complete]).toEqual([[], true]);
    expect(value.clients[2].cipher).toBe('AES-256-GCM');
  });

  it('says an empty file (just truncated by OpenVPN) is incomplete, without issues', () => {
    expect(parseStatus('')).toMatchObject({ complete: false, issues: [], value: { clients: [] } });
  });

  it('skips rows under a header that lacks a needed column, once per row', () => {
    const text = ['HEADER,CLIENT_LIST,Common Name,Real Address', 'CLIENT_LIST,i,198.18.0.22:1', 'END'].join('\n');
    const { issues } = parseStatus(text);
    expect(issues.map((issue) => issue.line)).toEqual([1, 2]);
    expect(issues[0].message).toBe("HEADER CLIENT_LIST lacks column 'Bytes Received', 'Bytes Sent', 'Connected Since'");
  });
});

describe('parseStatus properties', () => {
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = parseStatus(text);
        expect(result.issues.every((issue) => issue.line >= 1)).toBe(true);
      }),
      { numRuns: 500 }
    );
  });

  it('never throws on mutated real files, and keeps every parsed number sane', () => {
    const originals = ['status-v1.log', 'status-v2.log', 'status-v3.log'].map(fixture);
    const mutation = fc.record({
      at: fc.nat(),
      remove: fc.nat(40),
      insert: fc.string({
        maxLength: 20,
        unit: fc.constantFrom(',', '\t', '\n', '\r', 'C', ':', '[', ']', '9', 'x', ' '),
      }),
    });
    fc.assert(
      fc.property(fc.nat(2), fc.array(mutation, { maxLength: 8 }), (which, mutations) => {
        let text = originals[which];
        for (const { at, remove, insert } of mutations) {
          const position = at % (text.length + 1);
          text = text.slice(0, position) + insert + text.slice(position + remove);
        }
        const { value } = parseStatus(text);
        for (const client of value.clients) {
          expect(Number.isSafeInteger(client.bytesReceived) && Number.isSafeInteger(client.connectedSince)).toBe(true);
        }
      }),
      { numRuns: 500 }
    );
  });

  const RELEASES: OpenVpnRelease[] = ['2.3', '2.4', '2.5', '2.6', '2.7'];
  const word = fc.stringMatching(/^[A-Za-z0-9._@-]{1,20}$/);
  const octet = fc.integer({ min: 0, max: 255 });
  const realAddress = (release: OpenVpnRelease) =>
    fc.oneof(
      fc.record({
        ip: fc.tuple(octet, octet).map(([a, b]) => `198.18.${a}.${b}`),
        port: fc.integer({ min: 1, max: 65535 }),
      }),
      fc.record({
        ip: fc.integer({ min: 1, max: 0xffff }).map((n) => `2001:db8::${n.toString(16)}`),
        // only 2.7 prints an IPv6 client's port
        port: release === '2.7' ? fc.integer({ min: 1, max: 65535 }) : fc.constant(undefined),
      })
    );
  const client = (release: OpenVpnRelease): fc.Arbitrary<StatusClient> =>
    fc
      .record({
        commonName: fc.oneof(word, fc.constant('UNDEF')),
        username: fc.option(
          word.filter((name) => name !== 'UNDEF'),
          { nil: undefined }
        ),
        real: realAddress(release),
        protocol: fc.constantFrom('udp4', 'udp6', 'tcp4-server', 'tcp6-server'),
        virtualIpv4: fc.option(
          fc.tuple(octet, octet).map(([a, b]) => `198.19.${a}.${b}`),
          { nil: undefined }
        ),
        virtualIpv6: fc.option(
          fc.integer({ min: 1, max: 0xffff }).map((n) => `2001:db8:100::${n.toString(16)}`),
          { nil: undefined }
        ),
        bytesReceived: fc.nat({ max: 2 ** 50 }),
        bytesSent: fc.nat({ max: 2 ** 50 }),
        connectedSince: fc.integer({ min: 946684800, max: 2000000000 }),
        clientId: fc.option(fc.nat(), { nil: undefined }),
        peerId: fc.option(fc.nat({ max: 16777214 }), { nil: undefined }),
        cipher: fc.option(fc.stringMatching(/^[A-Z0-9-]{1,20}$/), { nil: undefined }),
      })
      .map(({ real, protocol, ...rest }) => ({
        ...rest,
        realAddress: real.ip.includes(':') ? real.ip : `${real.ip}:${real.port}`,
        realIp: real.ip,
        realPort: real.port,
        protocol: release === '2.7' ? protocol : undefined,
      }));
  const report = (release: OpenVpnRelease): fc.Arbitrary<StatusReport> =>
    fc
      .record({
        title: fc.option(fc.stringMatching(/^[ -~]{0,60}$/), { nil: undefined }),
        updatedAt: fc.option(fc.integer({ min: 946684800, max: 2000000000 }), { nil: null }),
        clients: fc.uniqueArray(client(release), { maxLength: 12, selector: (c) => c.realAddress }),
        globalStats: fc.dictionary(fc.stringMatching(/^[a-z][a-z /]{0,15}$/), fc.stringMatching(/^[0-9a-z]{0,8}$/)),
      })
      .map(({ clients, ...rest }) => ({
        ...rest,
        format: 2 as const,
        clients,
        routes: hostRoutes(clients).map((route, index) => ({ ...route, cached: index % 3 === 1 })),
      }));

  /** What survives printing a report as this format and release. */
  function expectedAfter(original: StatusReport, format: 1 | 2 | 3, release: OpenVpnRelease): StatusReport {
    const columns = (c: StatusClient): StatusClient => ({
      ...c,
      virtualIpv6: release === '2.3' ? undefined : c.virtualIpv6,
      clientId: release === '2.3' ? undefined : c.clientId,
      peerId: release === '2.3' ? undefined : c.peerId,
      cipher: release === '2.3' || release === '2.4' ? undefined : c.cipher,
    });
    if (format !== 1) {
      return { ...original, format, clients: original.clients.map(columns) };
    }
    return { ...original, format, title: undefined, clients: original.clients.map(version1View) };
  }

  it.each([1, 2, 3] as const)('round-trips random reports through status-version %i of every release', (format) => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RELEASES).chain((release) => fc.tuple(fc.constant(release), report(release))),
        ([release, original]) => {
          const { value, issues, complete } = parseStatus(formatStatus(original, { format, release }));
          expect([issues, complete]).toEqual([[], true]);
          expect(value).toEqual(expectedAfter(original, format, release));
        }
      ),
      { numRuns: 100 }
    );
  });
});
