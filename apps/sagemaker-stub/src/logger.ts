import type { AppConfig } from '#libs/config';
import { type Logger, pino } from 'pino';

/** JSON lines (pino), or pino-pretty when LOG_PRETTY=true. */
export function createLogger(app: Pick<AppConfig, 'logLevel' | 'logPretty'>): Logger {
  return pino({
    name: 'sagemaker-stub',
    level: app.logLevel,
    ...(app.logPretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}
