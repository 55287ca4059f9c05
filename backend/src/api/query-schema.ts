/**
 * JSON schema of POST /api/v1/query (the contract in ../contract.ts). Unknown extra properties
 * are allowed on queries because Grafana adds its own (datasource, hide, key, ...); known ones
 * are checked, so a bad query gets a 400 that names the field.
 */
const filters = {
  refId: { type: 'string', minLength: 1 },
  server: { type: 'string' },
  user: { type: 'string' },
} as const;

const queryOf = (queryType: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  required: ['refId', 'queryType', ...required],
  properties: { ...filters, queryType: { const: queryType }, ...properties },
});

const eventKinds = [
  'connect',
  'disconnect',
  'auth_failure',
  'tls_error',
  'server_restart',
  'source_error',
  'source_down',
  'source_up',
  'session_killed',
];

export const queryRequestSchema = {
  type: 'object',
  required: ['range', 'queries'],
  properties: {
    range: {
      type: 'object',
      required: ['from', 'to'],
      properties: {
        from: { type: 'integer', minimum: 0 },
        to: { type: 'integer', minimum: 0 },
      },
    },
    intervalMs: { type: 'integer', minimum: 1 },
    maxDataPoints: { type: 'integer', minimum: 1, maximum: 100000 },
    queries: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['queryType'],
        discriminator: { propertyName: 'queryType' },
        oneOf: [
          queryOf('sessions', { state: { enum: ['live', 'all'] } }),
          queryOf('traffic', {
            unit: { enum: ['rate', 'volume'] },
            direction: { enum: ['in', 'out', 'both'] },
            groupBy: { enum: ['none', 'server', 'user'] },
            topN: { type: 'integer', minimum: 0, maximum: 1000 },
            totals: { enum: ['day', 'week', 'month'] },
          }),
          queryOf('capacity', {
            format: { enum: ['timeseries', 'table'] },
            measure: { enum: ['percent', 'counts'] },
          }),
          queryOf('apps', {
            dimension: { enum: ['app', 'app_version', 'platform', 'client_version'] },
            format: { enum: ['table', 'timeseries'] },
          }),
          queryOf('events', { kinds: { type: 'array', items: { enum: eventKinds }, uniqueItems: true } }),
          queryOf('variable', { variable: { enum: ['servers', 'users', 'apps'] } }, ['variable']),
        ],
      },
    },
  },
} as const;
