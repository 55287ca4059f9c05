import path from 'node:path';

import { LabContext } from './lab-context';
import { createLabNetwork, LabNetwork, OwnedLabNetwork } from './lab-network';
import { ClientOptions, OpenVpnClient } from './openvpn-client';
import { OpenVpnProcess } from './openvpn-process';
import { OpenVpnServer, ServerOptions } from './openvpn-server';
import { createPki, Pki } from './pki';
import { requireLabTools } from './preflight';

/**
 * One OpenVPN server network: its own namespaces, addresses and PKI, at most one server running
 * at a time, any number of clients. Labs in parallel jest workers (or in one test) never collide.
 */
export class Lab {
  private readonly processes = new Set<OpenVpnProcess>();
  private server: OpenVpnServer | undefined;
  private clientCount = 0;
  private serverCount = 0;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly owned: OwnedLabNetwork,
    readonly pki: Pki
  ) {}

  /** Throws (so the test fails) when not root or openvpn, ip, openssl or ping is missing. */
  static async start(): Promise<Lab> {
    const tools = requireLabTools();
    const network = await createLabNetwork(tools);
    const pki = await createPki(tools, path.join(network.directory, 'pki')).catch(async (error: unknown) => {
      await network.destroy();
      throw error;
    });
    return new Lab(network, pki);
  }

  get network(): LabNetwork {
    return this.owned;
  }

  /** Configs, logs, status files and sockets; removed by stop(). */
  get directory(): string {
    return this.owned.directory;
  }

  /** Starts OpenVPN and resolves once it is initialised. Only one server may run at a time. */
  async startServer(options?: ServerOptions): Promise<OpenVpnServer> {
    if (this.server?.isRunning) {
      throw new Error(`Lab ${this.network.index} already runs a server: stop it first`);
    }
    this.serverCount += 1;
    this.server = await OpenVpnServer.start(this.context(), `server-${this.serverCount}`, options);
    return this.server;
  }

  /** Starts a client that connects in the background: await `waitConnected()` or `waitFailed()`. */
  async connect(commonName: string, options?: ClientOptions): Promise<OpenVpnClient> {
    const sequence = this.clientCount;
    this.clientCount += 1;
    return OpenVpnClient.connect(this.context(), sequence, commonName, options);
  }

  /**
   * Kills every process at once (nothing is left to observe), removes the namespaces and files.
   * A test that never gets here is cleaned up all the same when its process ends (see watchdog.ts).
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all([...this.processes].map((process) => process.stop('SIGKILL')));
      await this.owned.destroy();
    })();
    return this.stopping;
  }

  private context(): LabContext {
    if (this.stopping) {
      throw new Error(`Lab ${this.network.index} is stopped`);
    }
    return {
      tools: requireLabTools(),
      network: this.network,
      pki: this.pki,
      directory: this.directory,
      track: (process: OpenVpnProcess) => {
        this.processes.add(process);
        return process;
      },
    };
  }
}
