import { clients, startVpnFixture, type VpnFixture } from './support/vpn-fixture';
import { parseExposition, promtoolProblems, samplesOf } from './support/exposition';

const TOKEN = 'scrape-token-for-tests';

/** Two polls of one server: a baseline of 3 sessions, then one more and counters that grew. */
function pollTwice(vpn: VpnFixture): void {
  vpn.tracker.registerServer('udp1194', 'openvpn', { size: 20, source: 'poolSize in vpnscope.yaml' });
  vpn.tracker.registerServer('pptp', 'pptpd', { size: null, source: null });
  vpn.health.register('udp1194', 'status-file', '/run/openvpn-server/status-server.log');
  vpn.health.register('pptp', 'syslog', '/var/log/syslog');
  vpn.tracker.applySnapshot({ server: 'udp1194', ts: 1_795_275_500, sessions: clients(3) });
  const grown = clients(4, (i) => ({ in: 1000 * (i + 1) + 500, out: 3000 * (i + 1) + 700 }));
  const newcomer = { ...grown[3], key: 'cid:3:1795275530', connectedSince: 1_795_275_530 };
  vpn.tracker.applySnapshot({ server: 'udp1194', ts: 1_795_275_560, sessions: [...grown.slice(0, 3), newcomer] });
  vpn.health.record('udp1194', 'status-file', { ok: true, parseIssues: 2 }, 1_795_275_560);
  vpn.health.record('pptp', 'syslog', { ok: false, error: 'cannot read /var/log/syslog' }, 1_795_275_560);
}

async function scrape(vpn: VpnFixture, token?: string) {
  const response = await vpn.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { response, exposition: parseExposition(response.body) };
}

describe('/metrics', () => {
  let vpn: VpnFixture;

  afterEach(async () => {
    await vpn.close();
  });

  describe('with the default settings', () => {
    beforeEach(async () => {
      vpn = await startVpnFixture();
      pollTwice(vpn);
    });

    it('serves the Prometheus text format that promtool finds no problem with', async () => {
      const { response } = await scrape(vpn);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(promtoolProblems(response.body)).toBe('');
    });

    it('tells per source whether it is up, when it last succeeded and how often it failed', async () => {
      const { exposition } = await scrape(vpn);
      expect(samplesOf(exposition, 'vpnscope_up')).toEqual([
        { name: 'vpnscope_up', labels: { server: 'udp1194', source: 'status-file' }, value: 1 },
        { name: 'vpnscope_up', labels: { server: 'pptp', source: 'syslog' }, value: 0 },
      ]);
      expect(samplesOf(exposition, 'vpnscope_last_successful_poll_timestamp_seconds')).toEqual([
        expect.objectContaining({ labels: { server: 'udp1194', source: 'status-file' }, value: 1_795_275_560 }),
      ]);
      expect(samplesOf(exposition, 'vpnscope_source_errors_total')).toEqual([
        expect.objectContaining({ labels: { server: 'udp1194', source: 'status-file' }, value: 0 }),
        expect.objectContaining({ labels: { server: 'pptp', source: 'syslog' }, value: 1 }),
      ]);
      expect(samplesOf(exposition, 'vpnscope_source_parse_errors_total')).toContainEqual(
        expect.objectContaining({ labels: { server: 'udp1194', source: 'status-file' }, value: 2 })
      );
      expect(exposition.types.get('vpnscope_source_errors_total')).toBe('counter');
    });

    it('gives active sessions and pool used/size per server, without a size while it is unknown', async () => {
      const { exposition } = await scrape(vpn);
      expect(samplesOf(exposition, 'vpnscope_active_sessions').map((s) => [s.labels.server, s.value])).toEqual([
        ['udp1194', 4],
        ['pptp', 0],
      ]);
      expect(samplesOf(exposition, 'vpnscope_pool_used_addresses')).toEqual([
        expect.objectContaining({ labels: { server: 'udp1194', pool: 'ipv4' }, value: 4 }),
        expect.objectContaining({ labels: { server: 'pptp', pool: 'ipv4' }, value: 0 }),
      ]);
      expect(samplesOf(exposition, 'vpnscope_pool_size_addresses')).toEqual([
        expect.objectContaining({ labels: { server: 'udp1194', pool: 'ipv4' }, value: 20 }),
      ]);
    });

    it('counts the bytes between polls per server, not the baseline the first poll found', async () => {
      const { exposition } = await scrape(vpn);
      // 3 sessions grew by 500/700 each; the fourth began after the first poll, so all its bytes count
      expect(samplesOf(exposition, 'vpnscope_bytes_in_total')).toEqual([
        expect.objectContaining({ labels: { server: 'udp1194' }, value: 3 * 500 + 4500 }),
        expect.objectContaining({ labels: { server: 'pptp' }, value: 0 }),
      ]);
      expect(samplesOf(exposition, 'vpnscope_bytes_out_total')).toContainEqual(
        expect.objectContaining({ labels: { server: 'udp1194' }, value: 3 * 700 + 12700 })
      );
    });

    it('counts events by kind, with failed logins and TLS errors present from zero', async () => {
      vpn.tracker.recordEvent('udp1194', { ts: 1_795_275_570, kind: 'auth_failure', realAddress: '198.18.9.9:50000' });
      vpn.tracker.recordEvent('udp1194', { ts: 1_795_275_571, kind: 'auth_failure', realAddress: '198.18.9.9:50001' });
      const events = samplesOf((await scrape(vpn)).exposition, 'vpnscope_events_total');
      const count = (server: string, kind: string) =>
        events.find((s) => s.labels.server === server && s.labels.kind === kind)?.value;
      expect(count('udp1194', 'connect')).toBe(4);
      expect(count('udp1194', 'auth_failure')).toBe(2);
      expect(count('udp1194', 'tls_error')).toBe(0);
      expect(count('pptp', 'auth_failure')).toBe(0);
    });

    it('keeps labels bounded: no per-user series and no ports, addresses or session ids', async () => {
      const { exposition } = await scrape(vpn);
      const vpnscope = exposition.samples.filter((s) => s.name.startsWith('vpnscope_'));
      expect(vpnscope.map((s) => s.name)).not.toContain('vpnscope_user_bytes_in_total');
      const labelNames = new Set(vpnscope.flatMap((s) => Object.keys(s.labels)));
      expect([...labelNames].sort()).toEqual(['kind', 'pool', 'server', 'source', 'version']);
      expect(exposition.samples.some((s) => s.name.startsWith('ovpn_') || s.name === 'probe_success')).toBe(false);
    });

    it('answers from memory: a scrape reads no table', async () => {
      vpn.db.close();
      const { response, exposition } = await scrape(vpn);
      expect(response.statusCode).toBe(200);
      expect(samplesOf(exposition, 'vpnscope_active_sessions')).toHaveLength(2);
    });

    it('includes the process metrics, without the gauges prom-client misnames with _total', async () => {
      const { exposition } = await scrape(vpn);
      expect(exposition.types.get('process_cpu_seconds_total')).toBe('counter');
      expect(exposition.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
      expect(exposition.types.has('nodejs_active_handles')).toBe(true);
      expect(exposition.types.has('nodejs_active_handles_total')).toBe(false);
    });
  });

  it('gives per-user byte counters only when metrics.perUser is on', async () => {
    vpn = await startVpnFixture({ perUser: true });
    pollTwice(vpn);
    const { response, exposition } = await scrape(vpn);
    const byUser = samplesOf(exposition, 'vpnscope_user_bytes_in_total').map((s) => [
      s.labels.server,
      s.labels.user,
      s.value,
    ]);
    expect(byUser.sort()).toEqual([
      ['udp1194', 'user0', 500],
      ['udp1194', 'user1', 500],
      ['udp1194', 'user2', 500],
      ['udp1194', 'user3', 4500],
    ]);
    expect(samplesOf(exposition, 'vpnscope_user_bytes_out_total')).toHaveLength(4);
    expect(promtoolProblems(response.body)).toBe('');
  });

  it('keeps several apps in one process apart: each has its own registry', async () => {
    vpn = await startVpnFixture();
    const other = await startVpnFixture();
    try {
      pollTwice(vpn);
      const { exposition } = await scrape(other);
      expect(samplesOf(exposition, 'vpnscope_active_sessions')).toEqual([]);
      expect(samplesOf((await scrape(vpn)).exposition, 'vpnscope_active_sessions')).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  describe('behind the API token', () => {
    beforeEach(async () => {
      vpn = await startVpnFixture({ apiToken: TOKEN, exporterCompat: true });
      pollTwice(vpn);
    });

    it('refuses a scrape without the bearer token or with another one', async () => {
      expect((await scrape(vpn)).response.statusCode).toBe(401);
      expect((await scrape(vpn, 'not-the-token')).response.statusCode).toBe(401);
      const sessions = await vpn.app.inject({ method: 'GET', url: '/sessions' });
      expect(sessions.statusCode).toBe(401);
    });

    it('serves a scrape that sends it', async () => {
      const { response, exposition } = await scrape(vpn, TOKEN);
      expect(response.statusCode).toBe(200);
      expect(samplesOf(exposition, 'vpnscope_active_sessions')).toHaveLength(2);
    });
  });
});
