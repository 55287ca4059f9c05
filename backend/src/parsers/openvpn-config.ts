import type { ParseIssue, ParseResult } from '../model';
import { configTokens } from './config-tokens';
import { parseDecimal } from './decimal';
import { parseIpv4 } from './ipv4';

/** What vpnscope needs from an OpenVPN server config: where it reports, and how big its pool is. */
export interface OpenVpnServerConfig {
  cd?: string;
  /** `status FILE [n]`: n defaults to 60 seconds. */
  status?: { path: string; intervalSeconds: number };
  statusVersion?: 1 | 2 | 3;
  management?:
    | { kind: 'unix'; path: string; passwordFile?: string }
    | { kind: 'tcp'; host: string; port: number; passwordFile?: string };
  /** `server NETWORK NETMASK [nopool]`. */
  server?: { network: string; netmask: string; nopool?: boolean };
  serverIpv6?: string;
  ifconfigPool?: { start: string; end: string };
  topology?: 'net30' | 'p2p' | 'subnet';
  maxClients?: number;
  dev?: string;
  /** `dev-type`; without it OpenVPN takes the type from the `dev` name (tun0, tap0). */
  devType?: 'tun' | 'tap';
  proto?: string;
  port?: number;
  /** `log` or `log-append`. */
  log?: string;
}

/** Largest `max-clients` OpenVPN accepts: it must stay below MAX_PEER_ID (0xFFFFFF). */
const MAX_CLIENTS_LIMIT = 16777214;

/** Directives whose one argument is kept as written. */
const TEXT_DIRECTIVES = new Map<string, 'cd' | 'dev' | 'proto' | 'log' | 'serverIpv6'>([
  ['cd', 'cd'],
  ['dev', 'dev'],
  ['proto', 'proto'],
  ['log', 'log'],
  ['log-append', 'log'],
  ['server-ipv6', 'serverIpv6'],
]);

/**
 * Reads the directives vpnscope cares about from a config file's text; every other directive is
 * ignored. A later directive overrides an earlier one, as in OpenVPN. Inline files
 * (`<ca>...</ca>`) are skipped unread: they hold keys.
 */
export function parseOpenVpnConfig(text: string): ParseResult<OpenVpnServerConfig> {
  const config: OpenVpnServerConfig = {};
  const issues: ParseIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const tokens = configTokens(lines[index]);
    if (typeof tokens === 'string') {
      issues.push({ line: index + 1, message: tokens });
      continue;
    }
    if (tokens.length === 1 && /^<[^/].*>$/.test(tokens[0])) {
      index = skipInlineFile(lines, index, tokens[0].slice(1, -1), issues);
      continue;
    }
    if (tokens.length > 0) {
      // OpenVPN accepts command-line spelling in files too
      const name = tokens[0].startsWith('--') && tokens[0].length > 2 ? tokens[0].slice(2) : tokens[0];
      const problem = readDirective(name, tokens.slice(1), config);
      if (problem !== null) {
        issues.push({ line: index + 1, message: `${name}: ${problem}` });
      }
    }
  }
  return { value: config, issues };
}

/** Returns the index of the closing tag's line (the last line when it never comes). */
function skipInlineFile(lines: string[], opening: number, tag: string, issues: ParseIssue[]): number {
  const closing = `</${tag}>`;
  for (let index = opening + 1; index < lines.length; index++) {
    if (lines[index].trim() === closing) {
      return index;
    }
  }
  issues.push({ line: opening + 1, message: `inline <${tag}> is never closed by ${closing}` });
  return lines.length - 1;
}

/** Applies one directive; returns what is wrong with it, or null. */
function readDirective(name: string, args: string[], config: OpenVpnServerConfig): string | null {
  const field = TEXT_DIRECTIVES.get(name);
  if (field !== undefined) {
    if (args.length !== 1) {
      return `expected 1 argument, got ${args.length}`;
    }
    config[field] = args[0];
    return null;
  }
  switch (name) {
    case 'status':
      return readStatus(args, config);
    case 'status-version':
      return oneOf(args, ['1', '2', '3'], (value) => (config.statusVersion = Number(value) as 1 | 2 | 3));
    case 'topology':
      return oneOf(args, ['net30', 'p2p', 'subnet'], (value) => (config.topology = value));
    case 'dev-type':
      return oneOf(args, ['tun', 'tap'], (value) => (config.devType = value));
    case 'management':
      return readManagement(args, config);
    case 'server':
      return readServer(args, config);
    case 'ifconfig-pool':
      return readIfconfigPool(args, config);
    case 'max-clients':
      return integer(args, 1, MAX_CLIENTS_LIMIT, (value) => (config.maxClients = value));
    case 'port':
      return integer(args, 0, 65535, (value) => (config.port = value));
    default:
      return null;
  }
}

function readStatus(args: string[], config: OpenVpnServerConfig): string | null {
  if (args.length < 1 || args.length > 2) {
    return `expected FILE [SECONDS], got ${args.length} argument(s)`;
  }
  const intervalSeconds = args.length === 2 ? parseDecimal(args[1]) : 60;
  if (intervalSeconds === null) {
    return `update interval '${args[1]}' is not a number of seconds`;
  }
  config.status = { path: args[0], intervalSeconds };
  return null;
}

function readManagement(args: string[], config: OpenVpnServerConfig): string | null {
  if (args.length < 2 || args.length > 3) {
    return `expected 'SOCKET unix [PWFILE]' or 'HOST PORT [PWFILE]', got ${args.length} argument(s)`;
  }
  const [where, kind, passwordFile] = args;
  if (kind === 'unix') {
    config.management = { kind: 'unix', path: where, passwordFile };
    return null;
  }
  const port = parseDecimal(kind);
  if (port === null || port < 1 || port > 65535) {
    return `port '${kind}' is neither 'unix' nor a port number (1-65535)`;
  }
  config.management = { kind: 'tcp', host: where, port, passwordFile };
  return null;
}

function readServer(args: string[], config: OpenVpnServerConfig): string | null {
  if (args.length < 2 || args.length > 3 || (args.length === 3 && args[2] !== 'nopool')) {
    return `expected 'NETWORK NETMASK [nopool]', got '${args.join(' ')}'`;
  }
  const problem = notIpv4(args[0], 'network') ?? notIpv4(args[1], 'netmask');
  if (problem !== null) {
    return problem;
  }
  config.server = { network: args[0], netmask: args[1], nopool: args.length === 3 };
  return null;
}

function readIfconfigPool(args: string[], config: OpenVpnServerConfig): string | null {
  if (args.length < 2 || args.length > 3) {
    return `expected 'START END [NETMASK]', got ${args.length} argument(s)`;
  }
  const problem = notIpv4(args[0], 'start') ?? notIpv4(args[1], 'end');
  if (problem !== null) {
    return problem;
  }
  config.ifconfigPool = { start: args[0], end: args[1] };
  return null;
}

function notIpv4(text: string, what: string): string | null {
  return parseIpv4(text) === null ? `${what} '${text}' is not an IPv4 address` : null;
}

function oneOf<T extends string>(args: string[], allowed: readonly T[], apply: (value: T) => void): string | null {
  const value = args[0] as T;
  if (args.length !== 1 || !allowed.includes(value)) {
    return `expected one of ${allowed.join(', ')}, got '${args.join(' ')}'`;
  }
  apply(value);
  return null;
}

function integer(args: string[], min: number, max: number, apply: (value: number) => void): string | null {
  const value = args.length === 1 ? parseDecimal(args[0]) : null;
  if (value === null || value < min || value > max) {
    return `expected a whole number from ${min} to ${max}, got '${args.join(' ')}'`;
  }
  apply(value);
  return null;
}
