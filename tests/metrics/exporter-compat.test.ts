import { clients, CONNECTED_AT, startVpnFixture, type VpnFixture } from './support/vpn-fixture';
import { parseExposition, promtoolProblems, samplesOf } from './support/exposition';

/**
 * The Go OpenVPN exporter (../shared/seeds/002_f7413006d454cf12.txt): its metric names with
 * their label names, and the keys of one `/sessions` element, in its order.
 */
const EXPORTER_METRICS: Record<string, string[]> = {
  ovpn_bytes_in_total: ['client'],
  ovpn_bytes_out_total: ['client'],
  ovpn_info: ['product', 'version'],
  ovpn_sessions_total: [],
  probe_success: ['version'],
};
const EXPORTER_SESSION_KEYS = [
  'server',
  'protocol',
  'p1uniqueid',
  'p2uniqueid',
  'state',
  'remotehost',
  'remoteport',
  'remoteid',
  'remotets',
  'established',
  'bytesin',
  'bytesout',
  'packetsin',
  'packetsout',
];

describe('the Go OpenVPN exporter compatibility set (metrics.exporterCompat)', () => {
  let vpn: VpnFixture;

  beforeEach(async () => {
    vpn = await startVpnFixture({ exporterCompat: true, openvpnVersion: '2.6.14' });
    vpn.tracker.registerServer('udp', 'openvpn', { size: 253, source: 'poolSize in vpnscope.yaml' });
    vpn.tracker.registerServer('tcp', 'openvpn', { size: 253, source: 'poolSize in vpnscope.yaml' });
    vpn.tracker.registerServer('pptp', 'pptpd', { size: 10, source: 'pptpd.conf' });
    vpn.health.register('udp', 'status-file', '/run/openvpn-server/status-udp.log');
    vpn.health.register('tcp', 'status-file', '/run/openvpn-server/status-tcp.log');
    vpn.health.record('udp', 'status-file', { ok: true, parseIssues: 0 }, CONNECTED_AT + 100);
    vpn.health.record('tcp', 'status-file', { ok: false, error: 'no such file' }, CONNECTED_AT + 100);
    vpn.tracker.applySnapshot({ server: 'udp', ts: CONNECTED_AT + 100, sessions: clients(2) });
    // duplicate-cn: user0 twice on tcp
    const [first] = clients(1);
    const second = { ...first, key: 'cid:7:1795275400', clientId: 7, realAddress: '198.18.1.77:41000' };
    vpn.tracker.applySnapshot({ server: 'tcp', ts: CONNECTED_AT + 100, sessions: [first, second] });
    vpn.tracker.applySnapshot({ server: 'pptp', ts: CONNECTED_AT + 100, sessions: clients(3) });
  });

  afterEach(async () => {
    await vpn.close();
  });

  const scrape = async () => (await vpn.app.inject({ method: 'GET', url: '/metrics' })).body;

  it("adds the exporter's metric names with its label names, and promtool still finds no problem", async () => {
    const body = await scrape();
    const exposition = parseExposition(body);
    for (const [name, labelNames] of Object.entries(EXPORTER_METRICS)) {
      const samples = samplesOf(exposition, name);
      expect(samples.length).toBeGreaterThan(0);
      samples.forEach((sample) => expect(Object.keys(sample.labels).sort()).toEqual(labelNames));
    }
    expect(promtoolProblems(body)).toBe('');
  });

  it('types the two names that break Prometheus naming so that they pass: info as gauge, sessions untyped', async () => {
    const { types } = parseExposition(await scrape());
    expect(types.get('ovpn_bytes_in_total')).toBe('counter');
    expect(types.get('ovpn_bytes_out_total')).toBe('counter');
    expect(types.get('probe_success')).toBe('gauge');
    expect(types.get('ovpn_info')).toBe('gauge');
    expect(types.get('ovpn_sessions_total')).toBe('untyped');
  });

  it('counts the open OpenVPN sessions, not the PPTP ones', async () => {
    expect(samplesOf(parseExposition(await scrape()), 'ovpn_sessions_total')).toEqual([
      { name: 'ovpn_sessions_total', labels: {}, value: 4 },
    ]);
  });

  it('gives each client the bytes of its open sessions, labelled <user>_<server>', async () => {
    const exposition = parseExposition(await scrape());
    const bytes = (name: string) =>
      Object.fromEntries(samplesOf(exposition, name).map((sample) => [sample.labels.client, sample.value]));
    expect(bytes('ovpn_bytes_in_total')).toEqual({ user0_udp: 1000, user1_udp: 2000, user0_tcp: 2000 });
    expect(bytes('ovpn_bytes_out_total')).toEqual({ user0_udp: 3000, user1_udp: 6000, user0_tcp: 6000 });
  });

  it('reports the OpenVPN version, and success while at least one status source can be read', async () => {
    let exposition = parseExposition(await scrape());
    expect(samplesOf(exposition, 'ovpn_info')).toEqual([
      { name: 'ovpn_info', labels: { product: 'OpenVPN', version: '2.6.14' }, value: 1 },
    ]);
    expect(samplesOf(exposition, 'probe_success')).toEqual([
      { name: 'probe_success', labels: { version: '2.6.14' }, value: 1 },
    ]);
    vpn.health.record('udp', 'status-file', { ok: false, error: 'permission denied' }, CONNECTED_AT + 160);
    exposition = parseExposition(await scrape());
    expect(samplesOf(exposition, 'probe_success')[0].value).toBe(0);
  });

  it("serves /sessions in the exporter's shape: its keys in its order, every value a string", async () => {
    const response = await vpn.app.inject({ method: 'GET', url: '/sessions' });
    expect(response.statusCode).toBe(200);
    const sessions = response.json<Array<Record<string, unknown>>>();
    expect(sessions).toHaveLength(4);
    sessions.forEach((session) => {
      expect(Object.keys(session)).toEqual(EXPORTER_SESSION_KEYS);
      Object.values(session).forEach((value) => expect(typeof value).toBe('string'));
    });
    expect(sessions.find((s) => s.server === 'udp' && s.remoteid === 'user1')).toEqual({
      server: 'udp',
      protocol: '',
      p1uniqueid: '1',
      p2uniqueid: '0',
      state: 'ESTABLISHED',
      remotehost: '198.18.1.2',
      remoteport: '40001',
      remoteid: 'user1',
      remotets: '198.19.0.3',
      established: '2026-11-21 15:36:40',
      bytesin: '2000',
      bytesout: '6000',
      packetsin: '0',
      packetsout: '0',
    });
    expect(sessions.filter((s) => s.server === 'pptp')).toEqual([]);
  });
});

describe('without the compatibility set', () => {
  it('serves neither the ovpn_* metrics nor /sessions', async () => {
    const vpn = await startVpnFixture();
    try {
      vpn.tracker.registerServer('udp', 'openvpn', { size: 253, source: 'poolSize in vpnscope.yaml' });
      const body = (await vpn.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(body).not.toMatch(/^(ovpn_|probe_success)/m);
      expect((await vpn.app.inject({ method: 'GET', url: '/sessions' })).statusCode).toBe(404);
    } finally {
      await vpn.close();
    }
  });
});
