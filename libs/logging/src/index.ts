import { type DestinationStream, pino, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '#libs/config';
import { activeTraceIds } from '#libs/observability';

/**
 * pino settings shared by every process: JSON lines with the service name in AWS (CloudWatch parses them),
 * pino-pretty under `make dev`. A line written inside a trace carries its `traceId` and `spanId`. Bearer tokens
 * never reach the logs.
 */
export function loggerOptions(
  app: Pick<AppConfig, 'logLevel' | 'logPretty' | 'logFile'>,
  service: string,
): LoggerOptions {
  return {
    level: app.logLevel,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: activeTraceIds,
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

/** Where the lines go: stdout, or LOG_FILE when set (appended, written synchronously so none is lost at exit). */
export function logDestination(app: Pick<AppConfig, 'logFile'>): DestinationStream {
  return app.logFile ? pino.destination({ dest: app.logFile, append: true, sync: true }) : pino.destination(1);
}

/** nestjs-pino's `pinoHttp` setting: the options and where the lines go. */
export function pinoHttpSettings(
  app: Pick<AppConfig, 'logLevel' | 'logPretty' | 'logFile'>,
  service: string,
  extra: Record<string, unknown> = {},
): [LoggerOptions, DestinationStream] | LoggerOptions {
  const options = { ...loggerOptions(app, service), ...extra };
  // pino-pretty's transport has its own destination (the terminal)
  return app.logPretty ? options : [options, logDestination(app)];
}

export function createLogger(app: Pick<AppConfig, 'logLevel' | 'logPretty' | 'logFile'>, service: string): Logger {
  return app.logPretty ? pino(loggerOptions(app, service)) : pino(loggerOptions(app, service), logDestination(app));
}
