import type { FastifySchemaValidationError } from 'fastify/types/schema';

/**
 * Words a validation failure so it names the field: `body.queries[0].state must be one of:
 * live, all` rather than ajv's `/queries/0/state must be equal to one of the allowed values`.
 */
export function describeValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const messages = errors.map((error) => {
    const where = fieldPath(dataVar, error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'enum':
        return `${where} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
      case 'required':
        return `${where}.${String(params.missingProperty)} is required`;
      case 'discriminator':
        return `${where}.queryType must be one of: sessions, traffic, capacity, apps, events, variable`;
      default:
        return `${where} ${error.message ?? 'is invalid'}`;
    }
  });
  return new Error(messages.join('; '));
}

function fieldPath(dataVar: string, instancePath: string): string {
  return (
    dataVar +
    instancePath
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
  );
}
