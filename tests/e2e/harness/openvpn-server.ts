import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { LabContext } from './lab-context';
import { LogWaitOptions, OpenVpnProcess } from './openvpn-process';

export type StatusVersion = 1 | 2 | 3;
export type Topology = 'subnet' | 'net30' | 'p2p';

/** Pass it to `net.connect()` as it is: it has `path` for a unix socket, `host` and `port` for TCP. */
export type ManagementEndpoint =
  | { readonly transport: 'unix'; readonly path: string }
  | { readonly transport: 'tcp'; readonly host: string; readonly port: number };

export interface ServerOptions {
  /** `status-version` and rewrite interval of the status file. Default: version 2 every second. */
  readonly status?: { readonly version: StatusVersion; readonly intervalSeconds?: number };
  /**
   * Opens the management interface: a unix socket in the lab directory, or TCP on
   * `network.managementHost`:7505, which the test process reaches over the lab's management link.
   */
  readonly management?: { readonly transport: 'unix' | 'tcp'; readonly password?: string };
  /** Default `subnet`. */
  readonly topology?: Topology;
  /**
   * Replaces the `server` / `server-ipv6` lines, e.g. with `ifconfig` + `ifconfig-pool` + pushes.
   * Keep `network.serverVpnAddress` as the server's own address: client traffic goes there.
   */
  readonly pool?: readonly string[];
  readonly duplicateCn?: boolean;
  /** Appended verbatim, after everything else (OpenVPN lets later lines win). */
  readonly extraConfig?: readonly string[];
}

const SERVER_PORT = 1194;
const MANAGEMENT_PORT = 7505;
const READY = /Initialization Sequence Completed/;

/** What a started server was given, fixed for its lifetime (restarts reuse it). */
interface ServerSetup {
  readonly configText: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly statusPath: string;
  readonly statusVersion: StatusVersion;
  readonly management: ManagementEndpoint | undefined;
}

export class OpenVpnServer implements ServerSetup {
  readonly configText: string;
  readonly configPath: string;
  /** Appended to across restarts. */
  readonly logPath: string;
  readonly statusPath: string;
  readonly statusVersion: StatusVersion;
  readonly management: ManagementEndpoint | undefined;
  /** The IPv4 tunnel network, `198.19.X.0/24`. */
  readonly poolNetwork: string;
  /** The server's tunnel address, `198.19.X.1`. */
  readonly vpnAddress: string;

  private constructor(
    private readonly context: LabContext,
    private process: OpenVpnProcess,
    setup: ServerSetup
  ) {
    this.configText = setup.configText;
    this.configPath = setup.configPath;
    this.logPath = setup.logPath;
    this.statusPath = setup.statusPath;
    this.statusVersion = setup.statusVersion;
    this.management = setup.management;
    this.poolNetwork = context.network.poolNetwork;
    this.vpnAddress = context.network.serverVpnAddress;
  }

  /** Writes the config, starts OpenVPN in the server netns and waits for `Initialization Sequence Completed`. */
  static async start(context: LabContext, fileStem: string, options: ServerOptions = {}): Promise<OpenVpnServer> {
    const file = (suffix: string) => path.join(context.directory, `${fileStem}${suffix}`);
    const management = managementEndpoint(context, options, file('-management.sock'));
    const password = options.management?.password;
    const passwordPath = password === undefined ? undefined : file('-management.pw');
    if (passwordPath !== undefined) {
      await writeFile(passwordPath, `${password}\n`, { mode: 0o600 });
    }
    const statusVersion = options.status?.version ?? 2;
    const statusPath = file('-status.log');
    const configText = serverConfig(context, options, { statusPath, statusVersion, management, passwordPath });
    const setup = {
      configText,
      configPath: file('.conf'),
      logPath: file('.log'),
      statusPath,
      statusVersion,
      management,
    };
    await writeFile(setup.configPath, configText);
    const { configPath, logPath } = setup;
    const files = { label: fileStem, namespace: context.network.serverNamespace, configPath, logPath };
    const server = new OpenVpnServer(context, context.track(OpenVpnProcess.start(context.tools, files)), setup);
    await server.waitForLog(READY);
    return server;
  }

  /** The unix socket path, when management runs on one. */
  get managementSocketPath(): string | undefined {
    return this.management?.transport === 'unix' ? this.management.path : undefined;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get isRunning(): boolean {
    return this.process.isRunning;
  }

  /** Resolves with the first line of the current run's log matching `pattern`. */
  waitForLog(pattern: RegExp, options?: LogWaitOptions): Promise<string> {
    return this.process.waitForLog(pattern, options);
  }

  /** The lines the current run has logged so far. */
  logLines(): string[] {
    return this.process.linesOfThisRun();
  }

  /** SIGTERM, then the same config again (the log is appended to); resolves when the new run is initialised. */
  async restart(): Promise<void> {
    await this.process.stop('SIGTERM');
    this.process = this.context.track(OpenVpnProcess.start(this.context.tools, this.process.files));
    await this.waitForLog(READY);
  }

  /** SIGTERM: with explicit-exit-notify the server tells its clients and exits about 2 s later. */
  stop(): Promise<void> {
    return this.process.stop('SIGTERM');
  }
}

function managementEndpoint(
  context: LabContext,
  options: ServerOptions,
  socketPath: string
): ManagementEndpoint | undefined {
  switch (options.management?.transport) {
    case undefined:
      return undefined;
    case 'unix':
      return { transport: 'unix', path: socketPath };
    case 'tcp':
      return { transport: 'tcp', host: context.network.managementHost, port: MANAGEMENT_PORT };
  }
}

function serverConfig(
  context: LabContext,
  options: ServerOptions,
  files: {
    statusPath: string;
    statusVersion: StatusVersion;
    management: ManagementEndpoint | undefined;
    passwordPath: string | undefined;
  }
): string {
  const { network, pki } = context;
  const pool = options.pool ?? [
    `server ${network.poolPrefix}.0 255.255.255.0`,
    `server-ipv6 ${network.poolIpv6Network}`,
  ];
  const lines = [
    `# vpnscope e2e lab ${network.index}`,
    'mode server',
    'tls-server',
    'dev tun',
    'proto udp',
    `local ${network.serverAddress}`,
    `port ${SERVER_PORT}`,
    `topology ${options.topology ?? 'subnet'}`,
    ...pool,
    `ca ${pki.caCertPath}`,
    `cert ${pki.server.certPath}`,
    `key ${pki.server.keyPath}`,
    'dh none',
    `tls-crypt ${pki.tlsCryptKeyPath}`,
    // short timers so tests see dead peers and status changes within seconds
    'keepalive 2 10',
    'explicit-exit-notify 1',
    ...(options.duplicateCn ? ['duplicate-cn'] : []),
    `status ${files.statusPath} ${options.status?.intervalSeconds ?? 1}`,
    `status-version ${files.statusVersion}`,
    ...managementLines(files.management, files.passwordPath),
    // verb 3 logs peer info, TLS failures and the IFCONFIG POOL line the collectors rely on
    'verb 3',
    ...(options.extraConfig ?? []),
  ];
  return `${lines.join('\n')}\n`;
}

function managementLines(endpoint: ManagementEndpoint | undefined, passwordPath: string | undefined): string[] {
  const password = passwordPath === undefined ? [] : [passwordPath];
  switch (endpoint?.transport) {
    case undefined:
      return [];
    case 'unix':
      return [['management', endpoint.path, 'unix', ...password].join(' ')];
    case 'tcp':
      return [['management', endpoint.host, String(endpoint.port), ...password].join(' ')];
  }
}
