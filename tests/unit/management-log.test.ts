import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { classifyLogMessage, parseLogEntry, type LogFact } from '../../backend/src/parsers/management-log';
import { SecurityEventFolder } from '../../backend/src/parsers/security-event-folder';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');
const logOnAll = fs.readFileSync(path.join(fixtures, 'mgmt-log-on-all.txt'), 'utf8');

/** The history lines and live `>LOG:` lines of the fixture, parsed. */
function fixtureEntries() {
  return logOnAll
    .split('\r\n')
    .map((line) => (line.startsWith('>LOG:') ? line.slice(5) : line))
    .map(parseLogEntry)
    .filter((entry) => entry !== null);
}

/** Server log lines of an OpenVPN 2.6.14 server (tls-auth, auth-user-pass-verify) as failing clients hit it. */
const FAILURES_2_6 = [
  'TLS Error: incoming packet authentication failed from [AF_INET]127.0.0.1:56266',
  '127.0.0.1:41953 VERIFY OK: depth=0, CN=client1',
  '127.0.0.1:41953 TLS Auth Error: Auth Username/Password verification failed for peer',
  "127.0.0.1:41953 SENT CONTROL [UNDEF]: 'AUTH_FAILED' (status=1)",
  "127.0.0.1:41953 SENT CONTROL [client1]: 'AUTH_FAILED' (status=1)",
  '127.0.0.1:58395 VERIFY ERROR: depth=0, error=unable to get local issuer certificate: CN=mallory, serial=48741463427449346869751574416304126703881379129',
  '127.0.0.1:58395 Sent fatal SSL alert: unknown CA',
  '127.0.0.1:58395 OpenSSL: error:0A000086:SSL routines::certificate verify failed:',
  '127.0.0.1:58395 TLS_ERROR: BIO read tls_read_plaintext error',
  '127.0.0.1:58395 TLS Error: TLS object -> incoming plaintext read error',
  '127.0.0.1:58395 TLS Error: TLS handshake failed',
];

const security = (fact: LogFact | null) => (fact?.kind === 'security' ? fact.signal : null);

describe('parseLogEntry', () => {
  it('splits time, flags and a message that itself contains commas', () => {
    expect(parseLogEntry('1795275408,I,198.18.0.2:38842 peer info: IV_CIPHERS=AES-256-GCM,x')).toEqual({
      time: 1795275408,
      flags: 'I',
      message: '198.18.0.2:38842 peer info: IV_CIPHERS=AES-256-GCM,x',
    });
    expect(parseLogEntry('1795275408,,Socket Buffers: R=[212992->212992]')).toEqual({
      time: 1795275408,
      flags: '',
      message: 'Socket Buffers: R=[212992->212992]',
    });
  });

  it('rejects lines that are not time,flags,message', () => {
    expect(parseLogEntry('END')).toBeNull();
    expect(parseLogEntry('SUCCESS: real-time log notification set to ON')).toBeNull();
    expect(parseLogEntry('99999999999999999999,I,too far in the future')).toBeNull();
  });

  it('reads every history and live line of the real `log on all` capture', () => {
    const entries = fixtureEntries();
    expect(entries).toHaveLength(logOnAll.split('\r\n').filter((line) => /^(>LOG:)?\d+,/.test(line)).length);
    expect(entries[0]).toEqual({ time: 1795275408, flags: 'I', message: 'net_iface_mtu_set: mtu 1500 for tun0' });
  });
});

describe('classifyLogMessage on the real 2.6.14 history', () => {
  const facts = fixtureEntries()
    .map((entry) => classifyLogMessage(entry.message))
    .filter((fact) => fact !== null);

  it('finds the server start and the IPv4 pool size', () => {
    expect(facts.filter((fact) => fact.kind === 'server_restart')).toEqual([
      { kind: 'server_restart', detail: 'Initialization Sequence Completed' },
    ]);
    expect(facts.filter((fact) => fact.kind === 'pool_size')).toEqual([
      { kind: 'pool_size', base: '198.19.0.2', size: 253 },
    ]);
  });

  it('attributes peer info to the real address that reported it', () => {
    const gui = facts.filter((fact) => fact.kind === 'peer_info' && fact.key === 'IV_GUI_VER');
    expect(gui.map((fact) => fact.kind === 'peer_info' && [fact.peer.realAddress, fact.value])).toEqual([
      ['198.18.0.2:38842', 'org.example.vpn.linux_1.1.0'],
      ['198.18.0.2:36471', 'org.example.vpn.windows_1.2.0'],
      ['198.18.0.2:60728', 'org.example.vpn.linux_1.3.0'],
      ['198.18.0.2:51346', 'org.example.vpn.linux_1.1.0'],
      ['198.18.0.2:56430', 'org.example.vpn.windows_1.2.0'],
      ['198.18.0.2:33216', 'org.example.vpn.linux_1.0.0'],
      ['198.18.0.2:39836', 'org.example.vpn.linux_1.0.0'],
      ['198.18.0.2:43983', 'org.example.vpn.linux_1.0.0'],
    ]);
    expect(facts.filter((fact) => fact.kind === 'peer_info')).toHaveLength(8 * 13);
  });

  it('sees no security event where every client got in', () => {
    expect(facts.filter((fact) => fact.kind === 'security')).toEqual([]);
  });
});

describe('classifyLogMessage on failed logins', () => {
  it('reads a rejected certificate as an auth failure of the CN it names', () => {
    expect(security(classifyLogMessage(FAILURES_2_6[5]))).toEqual({
      kind: 'auth_failure',
      peer: { realAddress: '127.0.0.1:58395', realIp: '127.0.0.1', realPort: 58395, protocol: undefined },
      user: 'mallory',
      detail:
        'VERIFY ERROR: depth=0, error=unable to get local issuer certificate: CN=mallory, serial=48741463427449346869751574416304126703881379129',
    });
  });

  it('does not blame the CA for a failure at depth 1', () => {
    const signal = security(
      classifyLogMessage('198.18.0.9:1194 VERIFY ERROR: depth=1, error=certificate has expired: CN=lab-ca, serial=1')
    );
    expect(signal?.kind).toBe('auth_failure');
    expect(signal?.user).toBeUndefined();
  });

  it('reads the other VERIFY checks, revocation and a certificate verify failure as auth failures', () => {
    for (const message of [
      '198.18.0.9:40000 VERIFY X509NAME ERROR: CN=bob, must be server',
      '198.18.0.9:40000 VERIFY KU ERROR',
      '198.18.0.9:40000 VERIFY EKU ERROR',
      '198.18.0.9:40000 VERIFY nsCertType ERROR: CN=bob, require nsCertType=CLIENT',
      '198.18.0.9:40000 VERIFY SCRIPT ERROR: depth=0, CN=bob',
      '198.18.0.9:40000 VERIFY PLUGIN ERROR: depth=0, CN=bob',
      '198.18.0.9:40000 VERIFY CRL: depth=0, CN=bob, serial=12 is revoked',
      '198.18.0.9:40000 OpenSSL: error:0A000086:SSL routines::certificate verify failed:',
    ]) {
      expect(security(classifyLogMessage(message))).toMatchObject({
        kind: 'auth_failure',
        peer: { realAddress: '198.18.0.9:40000' },
      });
    }
  });

  it('names the user of a username/password or auth-token failure (2.4 and 2.5+ wording)', () => {
    expect(security(classifyLogMessage(FAILURES_2_6[2]))).toMatchObject({
      kind: 'auth_failure',
      detail: 'TLS Auth Error: Auth Username/Password verification failed for peer',
    });
    expect(security(classifyLogMessage(FAILURES_2_6[2]))?.user).toBeUndefined();
    expect(
      security(
        classifyLogMessage("bob/198.18.0.9:40000 TLS Auth Error: Auth-token verification failed for username 'bob' ")
      )
    ).toMatchObject({ kind: 'auth_failure', user: 'bob' });
    expect(
      security(
        classifyLogMessage("198.18.0.9:40000 TLS: Username/auth-token authentication failed for username 'carol'")
      )
    ).toMatchObject({ kind: 'auth_failure', user: 'carol' });
  });

  it('takes the user of AUTH_FAILED from the CN in brackets, not from UNDEF', () => {
    expect(security(classifyLogMessage(FAILURES_2_6[4]))).toMatchObject({
      kind: 'auth_failure',
      user: 'client1',
      detail: "SENT CONTROL [client1]: 'AUTH_FAILED' (status=1)",
    });
    expect(security(classifyLogMessage(FAILURES_2_6[3]))?.user).toBeUndefined();
    expect(
      security(classifyLogMessage("dave/198.18.0.9:40000 SENT CONTROL [dave]: 'AUTH_FAILED,Account locked' (status=1)"))
    ).toMatchObject({
      user: 'dave',
      peer: { realAddress: '198.18.0.9:40000', commonName: 'dave' },
    });
  });

  it('reads TLS errors, with the address from `from [AF_INET...]` when there is no prefix', () => {
    expect(security(classifyLogMessage(FAILURES_2_6[0]))).toMatchObject({
      kind: 'tls_error',
      peer: { realAddress: '127.0.0.1:56266' },
      detail: 'TLS Error: incoming packet authentication failed from [AF_INET]127.0.0.1:56266',
    });
    expect(
      security(classifyLogMessage('TLS Error: cannot locate HMAC in incoming packet from [AF_INET6]2001:db8::7:1194'))
    ).toMatchObject({
      peer: { realAddress: '2001:db8::7', realIp: '2001:db8::7', realPort: 1194 },
    });
    expect(
      security(classifyLogMessage('TLS Error: tls-crypt unwrapping failed from [AF_INET6]::ffff:198.18.0.9:5000'))
    ).toMatchObject({
      peer: { realAddress: '198.18.0.9:5000' },
    });
    expect(
      security(
        classifyLogMessage(
          '198.18.0.9:40000 TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)'
        )
      )
    ).toMatchObject({
      kind: 'tls_error',
    });
  });

  it('gives a null address when OpenVPN names no client', () => {
    expect(security(classifyLogMessage('TLS Error: TLS handshake failed'))).toEqual({
      kind: 'tls_error',
      peer: null,
      detail: 'TLS Error: TLS handshake failed',
    });
  });

  it('reads the client prefix in every address style of 2.4 to 2.7', () => {
    const peerOf = (prefix: string) => security(classifyLogMessage(`${prefix} TLS Error: TLS handshake failed`))?.peer;
    expect(peerOf('2001:db8::5')).toMatchObject({ realAddress: '2001:db8::5', realPort: undefined });
    expect(peerOf('udp6:[2001:db8::5]:1194')).toMatchObject({
      realAddress: '2001:db8::5',
      realPort: 1194,
      protocol: 'udp6',
    });
    expect(peerOf('tcp4-server:198.18.0.9:443')).toMatchObject({
      realAddress: '198.18.0.9:443',
      protocol: 'tcp4-server',
    });
    expect(peerOf('Jane Doe/ops/198.18.0.9:443')).toMatchObject({
      realAddress: '198.18.0.9:443',
      commonName: 'Jane Doe/ops',
    });
  });

  it('ignores successes and lines that only mention a failure word', () => {
    for (const message of [
      '198.18.0.2:38842 VERIFY OK: depth=1, CN=lab-ca',
      "198.18.0.2:38842 TLS: Username/Password authentication succeeded for username 'alice' ",
      "user1/198.18.0.2:38842 SENT CONTROL [user1]: 'PUSH_REPLY,route-gateway 198.19.0.1' (status=1)",
      "MULTI: new connection by client 'user1' will cause previous active sessions by this client to be dropped.",
      'some text before a TLS Error: that is not a client prefix',
    ]) {
      expect(classifyLogMessage(message)).toBeNull();
    }
  });

  it('reads the pool size of 2.4 as well', () => {
    expect(classifyLogMessage('IFCONFIG POOL: base=198.19.0.4 size=62, ipv6=0')).toEqual({
      kind: 'pool_size',
      base: '198.19.0.4',
      size: 62,
    });
    expect(classifyLogMessage('IFCONFIG POOL IPv6: base=2001:db8:100::1000 size=65536 netbits=64')).toBeNull();
  });

  it('never throws, whatever the message', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (message) => {
        classifyLogMessage(message);
        classifyLogMessage(`198.18.0.9:1 ${message}`);
        parseLogEntry(message);
      })
    );
  });
});

describe('SecurityEventFolder', () => {
  const signals = (messages: string[]) =>
    messages.map((message) => security(classifyLogMessage(message))).filter((s) => s !== null);

  it('folds the lines of one rejected certificate and one bad password into one event each', () => {
    const folder = new SecurityEventFolder();
    const events = signals(FAILURES_2_6).flatMap((signal) => folder.add(1795279000, signal));
    expect(events).toEqual([]);
    expect(folder.flush(1795279006)).toEqual([
      {
        ts: 1795279000,
        kind: 'tls_error',
        realAddress: '127.0.0.1:56266',
        detail: 'TLS Error: incoming packet authentication failed from [AF_INET]127.0.0.1:56266',
        lines: 1,
      },
      {
        ts: 1795279000,
        kind: 'auth_failure',
        realAddress: '127.0.0.1:41953',
        user: 'client1',
        detail: 'TLS Auth Error: Auth Username/Password verification failed for peer',
        lines: 3,
      },
      {
        ts: 1795279000,
        kind: 'auth_failure',
        realAddress: '127.0.0.1:58395',
        user: 'mallory',
        detail: expect.stringMatching(/^VERIFY ERROR: depth=0, error=unable to get local issuer certificate/),
        lines: 5,
      },
    ]);
  });

  it('lets the auth failure win when a TLS error came first, and keeps attempts apart once quiet', () => {
    const folder = new SecurityEventFolder(5, 60);
    const [tls, auth] = signals([
      '198.18.0.9:4000 TLS Error: TLS handshake failed',
      "198.18.0.9:4000 SENT CONTROL [eve]: 'AUTH_FAILED' (status=1)",
    ]);
    expect(folder.add(100, tls)).toEqual([]);
    expect(folder.add(102, auth)).toEqual([]);
    const later = folder.add(200, tls);
    expect(later).toEqual([
      {
        ts: 100,
        kind: 'auth_failure',
        realAddress: '198.18.0.9:4000',
        user: 'eve',
        detail: "SENT CONTROL [eve]: 'AUTH_FAILED' (status=1)",
        lines: 2,
      },
    ]);
    expect(folder.flushAll()).toEqual([
      {
        ts: 200,
        kind: 'tls_error',
        realAddress: '198.18.0.9:4000',
        detail: 'TLS Error: TLS handshake failed',
        lines: 1,
      },
    ]);
    expect(folder.flushAll()).toEqual([]);
  });

  it('closes an attempt that keeps going after maxSeconds', () => {
    const folder = new SecurityEventFolder(5, 10);
    const [tls] = signals(['TLS Error: incoming packet authentication failed from [AF_INET]198.18.0.9:4000']);
    const closed = [0, 2, 4, 6, 8, 10, 12].flatMap((ts) => folder.add(ts, tls));
    expect(closed).toEqual([expect.objectContaining({ ts: 0, lines: 5 })]);
    expect(folder.flushAll()).toEqual([expect.objectContaining({ ts: 10, lines: 2 })]);
  });

  it('emits every line exactly once, whatever the order and timing', () => {
    const pool = signals(FAILURES_2_6);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(pool.length - 1), fc.nat(20)), { maxLength: 40 }), (steps) => {
        const folder = new SecurityEventFolder(3, 15);
        let ts = 0;
        const events = steps.flatMap(([index, gap]) => folder.add((ts += gap), pool[index]));
        events.push(...folder.flushAll());
        expect(events.reduce((sum, event) => sum + event.lines, 0)).toBe(steps.length);
      })
    );
  });
});
