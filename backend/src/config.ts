import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { configSchema } from './config-schema';
import { replacedKey, retentionProblems } from './config-retention';

export interface ManagementConfig {
  socket?: string;
  host?: string;
  port?: number;
  passwordFile?: string;
  passwordEnv?: string;
  mode: 'stream' | 'poll';
}

export interface ServerConfig {
  name: string;
  kind: 'openvpn' | 'pptpd';
  statusFile?: string;
  openvpnConfig?: string;
  openvpnVersion?: string;
  poolSize?: number;
  management?: ManagementConfig;
  syslog?: string;
  pptpdConfig?: string;
}

export interface ApiConfig {
  token?: string;
  tokenFile?: string;
  tokenEnv?: string;
  adminToken?: string;
  adminTokenFile?: string;
  adminTokenEnv?: string;
}

/** Days each table is kept: raw polled rows briefly, their rollups the longer the coarser. */
export interface RetentionConfig {
  /** Traffic deltas and pool samples as polled. */
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  dayDays: number;
  eventsDays: number;
  /** Ended sessions. */
  sessionsDays: number;
}

export interface VpnscopeConfig {
  listen: { host: string; port: number };
  database: string;
  /** Seconds between polls of every source. */
  pollInterval: number;
  retention: RetentionConfig;
  api: ApiConfig;
  metrics: { perUser: boolean; exporterCompat: boolean };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  servers: ServerConfig[];
}

/** A configuration problem, worded so the operator knows which key to fix. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[]
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
const validate = ajv.compile<VpnscopeConfig>(configSchema);

/** Validates a parsed YAML document, fills in defaults, and resolves relative paths against `baseDir`. */
export function configFromDocument(document: unknown, file: string, baseDir: string): VpnscopeConfig {
  const config = structuredClone(document ?? {});
  if (!validate(config)) {
    throw new ConfigError(file, (validate.errors ?? []).map(describeSchemaError));
  }
  const problems = [
    ...duplicateServerNames(config),
    ...incompleteServers(config),
    ...retentionProblems(config.retention),
  ];
  if (problems.length > 0) {
    throw new ConfigError(file, problems);
  }
  return resolvePaths(config, baseDir);
}

export function loadConfigFile(file: string): VpnscopeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  return configFromDocument(document, file, path.dirname(path.resolve(file)));
}

/** Reads a secret from the inline value, a file, or an environment variable, in that order. */
export function readSecret(
  inline: string | undefined,
  file: string | undefined,
  envName: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): string | undefined {
  if (inline) {
    return inline;
  }
  if (file) {
    return fs.readFileSync(file, 'utf8').trim();
  }
  if (envName) {
    const value = env[envName];
    if (!value) {
      throw new Error(`environment variable ${envName} is not set`);
    }
    return value;
  }
  return undefined;
}

function describeSchemaError(error: ErrorObject): string {
  const where = keyPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const replaced = replacedKey(where ? `${where}.${key}` : key);
      return `${where ? where + ': ' : ''}${replaced ? `"${key}" was ${replaced}` : `unknown key "${key}"`}`;
    }
    case 'required':
      return `${where ? where + ': ' : ''}missing required key "${String(error.params.missingProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where || '(top level)'}: ${error.message ?? 'is invalid'}`;
  }
}

/** `/servers/0/statusFile` → `servers[0].statusFile` */
function keyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

function duplicateServerNames(config: VpnscopeConfig): string[] {
  const seen = new Set<string>();
  return config.servers.flatMap((server, index) => {
    if (seen.has(server.name)) {
      return [`servers[${index}].name: "${server.name}" is used by another server`];
    }
    seen.add(server.name);
    return [];
  });
}

function incompleteServers(config: VpnscopeConfig): string[] {
  return config.servers.flatMap((server, index) => {
    const where = `servers[${index}]`;
    if (server.kind === 'pptpd') {
      return server.syslog ? [] : [`${where}: a pptpd server needs "syslog" (the log file pppd writes to)`];
    }
    const problems: string[] = [];
    if (!server.statusFile && !server.management && !server.openvpnConfig) {
      problems.push(`${where}: an openvpn server needs "statusFile", "management" or "openvpnConfig"`);
    }
    const management = server.management;
    if (management && !management.socket === !(management.host && management.port)) {
      problems.push(`${where}.management: give either "socket" or "host" and "port"`);
    }
    return problems;
  });
}

function resolvePaths(config: VpnscopeConfig, baseDir: string): VpnscopeConfig {
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(baseDir, p));
  return {
    ...config,
    database: config.database === ':memory:' ? config.database : path.resolve(baseDir, config.database),
    api: {
      ...config.api,
      tokenFile: resolve(config.api.tokenFile),
      adminTokenFile: resolve(config.api.adminTokenFile),
    },
    servers: config.servers.map((server) => ({
      ...server,
      statusFile: resolve(server.statusFile),
      openvpnConfig: resolve(server.openvpnConfig),
      syslog: resolve(server.syslog),
      pptpdConfig: resolve(server.pptpdConfig),
      management: server.management && {
        ...server.management,
        socket: resolve(server.management.socket),
        passwordFile: resolve(server.management.passwordFile),
      },
    })),
  };
}
