import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { configFromDocument } from '../../backend/src/config';
import { startService, type Service } from '../../backend/src/service';
import { makeTempDir } from '../support/temp-dir';
import { parseExposition, samplesOf } from './support/exposition';

jest.setTimeout(30_000);

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');
const TOKEN = 'serve-metrics-token';

describe('vpnscope serve with metrics.perUser and metrics.exporterCompat', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let service: Service;

  beforeAll(async () => {
    temp = makeTempDir();
    const statusFile = path.join(temp.dir, 'status.log');
    // the real v2 capture, dated now so the source does not call it stale
    const capture = fs.readFileSync(path.join(FIXTURES, 'status-v2.log'), 'utf8');
    fs.writeFileSync(statusFile, capture.replace(/^TIME,([^,]*),\d+$/m, `TIME,$1,${Math.floor(Date.now() / 1000)}`));
    const config = configFromDocument(
      {
        listen: { port: 0 },
        api: { token: TOKEN },
        metrics: { perUser: true, exporterCompat: true },
        servers: [{ name: 'lab', statusFile, poolSize: 253, openvpnVersion: '2.6.14' }],
      },
      'test',
      temp.dir
    );
    service = await startService(config, pino({ level: 'silent' }), 'test');
    await firstPoll();
  });

  afterAll(async () => {
    await service.stop();
    temp.cleanup();
  });

  const get = (url: string, token?: string) =>
    fetch(service.url + url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  /** The status file is polled right after the API starts listening: wait until it has been. */
  async function firstPoll(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const health = (await (await get('/api/v1/health', TOKEN)).json()) as { status: string };
      if (health.status === 'ok') {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the status file was not polled within 10 s');
  }

  it('serves /metrics behind the API token, with the sessions of its first poll', async () => {
    expect((await get('/metrics')).status).toBe(401);
    const exposition = parseExposition(await (await get('/metrics', TOKEN)).text());
    expect(samplesOf(exposition, 'vpnscope_up')).toEqual([
      { name: 'vpnscope_up', labels: { server: 'lab', source: 'status-file' }, value: 1 },
    ]);
    expect(samplesOf(exposition, 'vpnscope_active_sessions')[0].value).toBe(3);
    expect(samplesOf(exposition, 'vpnscope_pool_size_addresses')[0].value).toBe(253);
    expect(exposition.types.get('vpnscope_user_bytes_in_total')).toBe('counter');
    expect(samplesOf(exposition, 'ovpn_info')[0].labels).toEqual({ product: 'OpenVPN', version: '2.6.14' });
  });

  it('serves the exporter-shaped /sessions of the capture', async () => {
    const sessions = (await (await get('/sessions', TOKEN)).json()) as Array<Record<string, string>>;
    expect(sessions.map((session) => [session.remoteid, session.remotets, session.bytesin]).sort()).toEqual([
      ['user1', '198.19.0.2', '2187'],
      ['user2', '198.19.0.3', '2230'],
      ['user3', '198.19.0.4', '2227'],
    ]);
  });
});
