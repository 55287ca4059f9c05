import pino, { type Logger } from 'pino';

/** Logs as JSON lines to stderr (stdout is for command output); secrets are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'headers.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2)
  );
}
