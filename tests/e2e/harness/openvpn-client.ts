import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { LabContext } from './lab-context';
import { OpenVpnProcess } from './openvpn-process';
import { run } from './run';

export interface ClientOptions {
  /** Appended verbatim to the client config. */
  readonly extraConfig?: readonly string[];
  /** The app's name and version (e.g. `org.eduvpn.app.linux_4.1.0`), sent with the full peer info. */
  readonly ivGuiVer?: string;
  /**
   * Presents a certificate from another CA, which the server rejects. Such a client tries once:
   * it gives up after a 3 s handshake window and exits, so the server logs exactly one rejection.
   */
  readonly foreignCa?: boolean;
}

export interface TunnelAddresses {
  readonly ipv4: string;
  /** Absent when the server has no IPv6 pool. */
  readonly ipv6?: string;
}

const CONNECTED = /Initialization Sequence Completed/;
const HANDSHAKE_FAILED = /TLS Error: TLS handshake failed|AUTH_FAILED/;
const PING_PAYLOAD_BYTES = 1000;
// any character OpenVPN's config parser would treat specially ends a setenv value early
const PLAIN_CONFIG_WORD = /^[^\s"'\\#;]+$/;

export class OpenVpnClient {
  private constructor(
    private readonly context: LabContext,
    private readonly process: OpenVpnProcess,
    readonly commonName: string,
    /** The tun device in the clients' netns, e.g. `tun3`. */
    readonly device: string,
    readonly configPath: string,
    readonly configText: string
  ) {}

  /** Starts OpenVPN in the clients' netns; it connects in the background (see waitConnected). */
  static async connect(
    context: LabContext,
    sequence: number,
    commonName: string,
    options: ClientOptions = {}
  ): Promise<OpenVpnClient> {
    const certificate = options.foreignCa
      ? await context.pki.foreignClientCertificate(commonName)
      : await context.pki.clientCertificate(commonName);
    const device = `tun${sequence}`;
    const { network, pki } = context;
    const lines = [
      'client',
      `dev ${device}`,
      'proto udp',
      `remote ${network.serverAddress} 1194`,
      'nobind',
      `ca ${pki.caCertPath}`,
      `cert ${certificate.certPath}`,
      `key ${certificate.keyPath}`,
      `tls-crypt ${pki.tlsCryptKeyPath}`,
      'remote-cert-tls server',
      'explicit-exit-notify 1',
      'verb 3',
      ...(options.ivGuiVer === undefined ? [] : [`setenv IV_GUI_VER ${plainWord(options.ivGuiVer)}`, 'push-peer-info']),
      // the server drops a rejected handshake silently, so only a short window makes the failure visible
      ...(options.foreignCa ? ['hand-window 3', 'tls-exit'] : []),
      ...(options.extraConfig ?? []),
    ];
    const configText = `${lines.join('\n')}\n`;
    const fileStem = path.join(context.directory, `client-${sequence}-${commonName}`);
    const configPath = `${fileStem}.conf`;
    await writeFile(configPath, configText);
    const files = {
      label: `client ${commonName} (${device})`,
      namespace: network.clientNamespace,
      configPath,
      logPath: `${fileStem}.log`,
    };
    const process = context.track(OpenVpnProcess.start(context.tools, files));
    return new OpenVpnClient(context, process, commonName, device, configPath, configText);
  }

  get logPath(): string {
    return this.process.files.logPath;
  }

  get isRunning(): boolean {
    return this.process.isRunning;
  }

  /** Waits for `Initialization Sequence Completed` and returns the addresses the server assigned. */
  async waitConnected(options: { timeoutMs?: number } = {}): Promise<TunnelAddresses> {
    await this.process.waitForLog(CONNECTED, options);
    return this.tunnelAddresses();
  }

  /** Waits for the handshake to fail (e.g. a foreign CA) and returns the client's failure line. */
  waitFailed(options: { timeoutMs?: number } = {}): Promise<string> {
    return this.process.waitForLog(HANDSHAKE_FAILED, { ...options, failOn: CONNECTED });
  }

  /** The tunnel addresses as the client's tun device carries them now. */
  async tunnelAddresses(): Promise<TunnelAddresses> {
    const { tools, network } = this.context;
    const output = await run(tools.ip, ['-n', network.clientNamespace, '-o', 'addr', 'show', 'dev', this.device]);
    // subnet: `inet 198.19.X.2/24`; net30/p2p: `inet 198.19.X.6 peer 198.19.X.5/32`
    const ipv4 = /\binet (\d+\.\d+\.\d+\.\d+)/.exec(output)?.[1];
    const ipv6 = /\binet6 ([0-9a-f:]+)\/\d+ scope global/.exec(output)?.[1];
    if (ipv4 === undefined) {
      throw new Error(`${this.device} of ${this.commonName} has no IPv4 address:\n${output}`);
    }
    return ipv6 === undefined ? { ipv4 } : { ipv4, ipv6 };
  }

  /**
   * Pings the server's tunnel address through this client's tun device with about `bytes` bytes of
   * payload each way, so both byte counters of this session grow. Throws when no reply comes back.
   */
  async sendTraffic(bytes: number): Promise<void> {
    const { tools, network } = this.context;
    const count = Math.max(1, Math.ceil(bytes / PING_PAYLOAD_BYTES));
    await run(tools.ip, [
      'netns',
      'exec',
      network.clientNamespace,
      tools.ping,
      '-q',
      '-I',
      this.device,
      '-c',
      String(count),
      '-i',
      '0.005',
      '-W',
      '5',
      '-s',
      String(PING_PAYLOAD_BYTES),
      network.serverVpnAddress,
    ]);
  }

  /**
   * SIGTERM by default: with explicit-exit-notify the client tells the server, which drops the
   * session about 5 s later. SIGKILL makes it vanish silently: the server times it out after 20 s (keepalive 2 10).
   */
  stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    return this.process.stop(signal);
  }
}

function plainWord(value: string): string {
  if (!PLAIN_CONFIG_WORD.test(value)) {
    throw new Error(`Not usable as a single OpenVPN config word: ${JSON.stringify(value)}`);
  }
  return value;
}
