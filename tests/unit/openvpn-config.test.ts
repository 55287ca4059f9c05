import fc from 'fast-check';
import { parseOpenVpnConfig } from '../../backend/src/parsers/openvpn-config';

const SERVER_CONF = `# OpenVPN server, as a Debian admin would keep it
port 1194
proto udp
dev tun
;dev tap

ca ca.crt
<cert>
-----BEGIN CERTIFICATE-----
status this-is-key-material-not-a-directive 5
-----END CERTIFICATE-----
</cert>
<tls-crypt>
server 203.0.113.0 255.255.255.0
</tls-crypt>
dh none
topology subnet
server 198.19.0.0 255.255.255.0
server-ipv6 2001:db8:100::/64
ifconfig-pool-persist /var/log/openvpn/ipp.txt
push "redirect-gateway def1 bypass-dhcp"
keepalive 10 120
max-clients 200   # the licence allows 200
status /var/log/openvpn/openvpn-status.log 10
status-version 2
log-append "/var/log/openvpn/server log.txt"
management /run/openvpn/server.sock unix /etc/openvpn/mgmt-pw
verb 3
`;

describe('parseOpenVpnConfig', () => {
  it('reads a realistic server.conf, skipping comments and inline key blocks', () => {
    const { value, issues } = parseOpenVpnConfig(SERVER_CONF);
    expect(issues).toEqual([]);
    expect(value).toEqual({
      port: 1194,
      proto: 'udp',
      dev: 'tun',
      topology: 'subnet',
      server: { network: '198.19.0.0', netmask: '255.255.255.0', nopool: false },
      serverIpv6: '2001:db8:100::/64',
      maxClients: 200,
      status: { path: '/var/log/openvpn/openvpn-status.log', intervalSeconds: 10 },
      statusVersion: 2,
      log: '/var/log/openvpn/server log.txt',
      management: { kind: 'unix', path: '/run/openvpn/server.sock', passwordFile: '/etc/openvpn/mgmt-pw' },
    });
  });

  it('reads a TCP management address with its port and password file', () => {
    expect(parseOpenVpnConfig('management 127.0.0.1 7505 pw.txt\n').value.management).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 7505,
      passwordFile: 'pw.txt',
    });
    expect(parseOpenVpnConfig('management 127.0.0.1 7505').value.management).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 7505,
      passwordFile: undefined,
    });
  });

  it('defaults the status interval to 60 seconds, and reads cd, dev-type and ifconfig-pool', () => {
    const { value, issues } = parseOpenVpnConfig(
      'cd /etc/openvpn\nstatus status.log\ndev vpn0\ndev-type tap\nserver 198.19.0.0 255.255.0.0 nopool\nifconfig-pool 198.19.1.10 198.19.1.20 255.255.0.0\n'
    );
    expect(issues).toEqual([]);
    expect(value).toEqual({
      cd: '/etc/openvpn',
      status: { path: 'status.log', intervalSeconds: 60 },
      dev: 'vpn0',
      devType: 'tap',
      server: { network: '198.19.0.0', netmask: '255.255.0.0', nopool: true },
      ifconfigPool: { start: '198.19.1.10', end: '198.19.1.20' },
    });
  });

  it('lets a later directive override an earlier one, as OpenVPN does', () => {
    expect(parseOpenVpnConfig('status-version 1\nstatus-version 3\n').value.statusVersion).toBe(3);
  });

  it('accepts command-line spelling, \\r\\n endings, a BOM and quoted or escaped arguments', () => {
    const { value, issues } = parseOpenVpnConfig(
      '\uFEFF--status "/run/my status.log" 5\r\nlog /var/log/with\\ space.log\r\n'
    );
    expect(issues).toEqual([]);
    expect(value).toEqual({
      status: { path: '/run/my status.log', intervalSeconds: 5 },
      log: '/var/log/with space.log',
    });
  });

  it('ignores directives it does not need', () => {
    expect(parseOpenVpnConfig('cipher AES-256-GCM\nclient-to-client\nduplicate-cn\n')).toEqual({
      value: {},
      issues: [],
    });
  });

  it('names the line and what is wrong with a malformed directive it reads, and keeps the rest', () => {
    const { value, issues } = parseOpenVpnConfig(
      [
        'status-version 4',
        'management /run/x.sock',
        'management 127.0.0.1 seventy',
        'server 198.19.0.0',
        'server 198.19.0.0 255.255.255.0 pool',
        'ifconfig-pool 198.19.0.300 198.19.0.20',
        'topology star',
        'max-clients 0',
        'status',
        'status s.log often',
        'port 1194',
        'ca "unterminated',
        'ca C:\\keys\\ca.crt',
      ].join('\n')
    );
    expect(value).toEqual({ port: 1194 });
    expect(issues).toEqual([
      { line: 1, message: "status-version: expected one of 1, 2, 3, got '4'" },
      { line: 2, message: "management: expected 'SOCKET unix [PWFILE]' or 'HOST PORT [PWFILE]', got 1 argument(s)" },
      { line: 3, message: "management: port 'seventy' is neither 'unix' nor a port number (1-65535)" },
      { line: 4, message: "server: expected 'NETWORK NETMASK [nopool]', got '198.19.0.0'" },
      { line: 5, message: "server: expected 'NETWORK NETMASK [nopool]', got '198.19.0.0 255.255.255.0 pool'" },
      { line: 6, message: "ifconfig-pool: start '198.19.0.300' is not an IPv4 address" },
      { line: 7, message: "topology: expected one of net30, p2p, subnet, got 'star'" },
      { line: 8, message: "max-clients: expected a whole number from 1 to 16777214, got '0'" },
      { line: 9, message: 'status: expected FILE [SECONDS], got 0 argument(s)' },
      { line: 10, message: "status: update interval 'often' is not a number of seconds" },
      { line: 12, message: 'no closing quotation mark (")' },
      {
        line: 13,
        message: 'bad backslash: only \\\\, \\" and \\<space> are escapes (double a Windows path backslash)',
      },
    ]);
  });

  it('reports an inline block that is never closed, without reading what follows as directives', () => {
    const { value, issues } = parseOpenVpnConfig('port 1194\n<key>\nstatus secret.log\n');
    expect(value).toEqual({ port: 1194 });
    expect(issues).toEqual([{ line: 2, message: 'inline <key> is never closed by </key>' }]);
  });

  it('never throws, whatever the text', () => {
    const directive = fc.constantFrom(
      'status ',
      'management ',
      'server ',
      'ifconfig-pool ',
      'max-clients ',
      'port ',
      'status-version ',
      '<ca>',
      '</ca>',
      '"',
      "'",
      '\\',
      '#',
      '\n'
    );
    const text = fc
      .array(fc.oneof(directive, fc.string({ maxLength: 12 })), { maxLength: 30 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 300 })), (input) => {
        const { issues } = parseOpenVpnConfig(input);
        expect(issues.every((issue) => issue.line >= 1 && issue.message.length > 0)).toBe(true);
      }),
      { numRuns: 500 }
    );
  });
});
