import { pino, type Logger } from 'pino';
import type { Config } from '@spur/config';

export type { Logger };

/** One JSON logger per process; components take children (`log.child({ component })`). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Visitors' IP addresses must never reach a log line, even by accident.
    redact: {
      paths: ['ip', '*.ip', 'req.headers["x-forwarded-for"]', 'req.headers.cookie', 'req.headers.authorization'],
      remove: true,
    },
  });
}
