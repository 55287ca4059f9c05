/** JSON schema of vpnscope.yaml. Defaults live here too, so ajv fills them in while it validates. */
const secretSource = {
  token: { type: 'string', minLength: 1 },
  tokenFile: { type: 'string', minLength: 1 },
  tokenEnv: { type: 'string', minLength: 1 },
} as const;

const management = {
  type: 'object',
  additionalProperties: false,
  properties: {
    socket: { type: 'string', minLength: 1, description: 'unix socket path' },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    passwordFile: { type: 'string', minLength: 1 },
    passwordEnv: { type: 'string', minLength: 1 },
    mode: { enum: ['stream', 'poll'], default: 'stream' },
  },
} as const;

const server = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' },
    kind: { enum: ['openvpn', 'pptpd'], default: 'openvpn' },
    statusFile: { type: 'string', minLength: 1 },
    openvpnConfig: { type: 'string', minLength: 1 },
    openvpnVersion: { type: 'string', pattern: '^\\d+\\.\\d+' },
    poolSize: { type: 'integer', minimum: 1 },
    management,
    syslog: { type: 'string', minLength: 1 },
    pptpdConfig: { type: 'string', minLength: 1 },
  },
} as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    listen: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 9234 },
      },
    },
    database: { type: 'string', minLength: 1, default: 'vpnscope.db' },
    pollInterval: { type: 'number', exclusiveMinimum: 0, maximum: 3600, default: 10 },
    // Days each table is kept; config-retention.ts says how they must relate.
    retention: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        rawDays: { type: 'integer', minimum: 1, default: 2 },
        minuteDays: { type: 'integer', minimum: 1, default: 8 },
        hourDays: { type: 'integer', minimum: 1, default: 400 },
        dayDays: { type: 'integer', minimum: 1, default: 1830 },
        eventsDays: { type: 'integer', minimum: 1, default: 400 },
        sessionsDays: { type: 'integer', minimum: 1, default: 400 },
      },
    },
    api: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        ...secretSource,
        adminToken: { type: 'string', minLength: 1 },
        adminTokenFile: { type: 'string', minLength: 1 },
        adminTokenEnv: { type: 'string', minLength: 1 },
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        perUser: { type: 'boolean', default: false },
        exporterCompat: { type: 'boolean', default: false },
      },
    },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    servers: { type: 'array', items: server, default: [] },
  },
} as const;
