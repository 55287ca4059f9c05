import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';

/**
 * A stand-in for OpenVPN's management interface on a unix socket, for behaviour a `--dev null`
 * OpenVPN cannot show (it has no clients): the test scripts each reply and pushes notifications
 * whenever it likes. Speaks the protocol as a 2.6 server does: greeting, `ENTER PASSWORD:` without
 * a line ending, `\r\n` lines, `quit` closes. Like OpenVPN, it serves one client at a time.
 */
export interface ScriptedServerOptions {
  path: string;
  password?: string;
  /** The reply to one command line, in lines without endings; `[]` for none. */
  answer(command: string): string[];
  /** Runs when a client has been greeted, e.g. to push notifications before any command. */
  greeted?(server: ScriptedManagementServer): void;
}

const GREETING = ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info";

export class ScriptedManagementServer {
  /** Every command line received, in order (never the password). */
  readonly commands: string[] = [];
  private current: net.Socket | null = null;
  private readonly waiting: net.Socket[] = [];
  private connectionCount = 0;

  private constructor(
    private readonly server: net.Server,
    private readonly options: ScriptedServerOptions
  ) {
    server.on('connection', (socket) => {
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      socket.once('close', () => this.closed(socket));
      if (this.current) {
        this.waiting.push(socket);
      } else {
        this.serve(socket);
      }
    });
  }

  static async listen(options: ScriptedServerOptions): Promise<ScriptedManagementServer> {
    fs.rmSync(options.path, { force: true });
    const server = net.createServer();
    server.listen(options.path);
    await once(server, 'listening');
    return new ScriptedManagementServer(server, options);
  }

  /** Clients greeted so far. */
  get connections(): number {
    return this.connectionCount;
  }

  /** Sends lines to the client being served, as OpenVPN sends notifications. */
  notify(...lines: string[]): void {
    this.current?.write(lines.map((line) => `${line}\r\n`).join(''));
  }

  /** Like OpenVPN exiting: every connection drops and the socket file goes away. */
  async close(): Promise<void> {
    [this.current, ...this.waiting].forEach((socket) => socket?.destroy());
    this.server.close();
    await once(this.server, 'close');
  }

  private serve(socket: net.Socket): void {
    this.current = socket;
    let buffer = '';
    let authenticated = this.options.password === undefined;
    const greet = () => {
      this.connectionCount += 1;
      socket.write(`${GREETING}\r\n`);
      this.options.greeted?.(this);
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        if (!authenticated) {
          authenticated = line === this.options.password;
          socket.write(authenticated ? 'SUCCESS: password is correct\r\n' : 'ERROR: bad password\r\nENTER PASSWORD:');
          if (authenticated) {
            greet();
          }
        } else if (line === 'quit') {
          socket.end();
        } else {
          this.commands.push(line);
          socket.write(
            this.options
              .answer(line)
              .map((reply) => `${reply}\r\n`)
              .join('')
          );
        }
      }
    });
    if (authenticated) {
      greet();
    } else {
      socket.write('ENTER PASSWORD:');
    }
  }

  private closed(socket: net.Socket): void {
    if (socket !== this.current) {
      this.waiting.splice(this.waiting.indexOf(socket), 1);
      return;
    }
    this.current = null;
    const next = this.waiting.shift();
    if (next) {
      this.serve(next);
    }
  }
}
