import { pino, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '#libs/config';

/**
 * pino settings shared by every process: JSON lines with the service name in AWS (CloudWatch parses them),
 * pino-pretty under `make dev`. Bearer tokens never reach the logs.
 */
export function loggerOptions(app: Pick<AppConfig, 'logLevel' | 'logPretty'>, service: string): LoggerOptions {
  return {
    level: app.logLevel,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
      censor: '[redacted]',
    },
    ...(app.logPretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' },
          },
        }
      : {}),
  };
}

export function createLogger(app: Pick<AppConfig, 'logLevel' | 'logPretty'>, service: string): Logger {
  return pino(loggerOptions(app, service));
}
