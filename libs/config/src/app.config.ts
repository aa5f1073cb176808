import { z } from 'zod';
import { booleanFromEnv, type Env, parseEnv } from './env.js';

export type AppEnvironment = 'local' | 'test' | 'aws';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  environment: AppEnvironment;
  logLevel: LogLevel;
  /** Human-readable logs (pino-pretty) instead of JSON lines; `make dev` turns it on. */
  logPretty: boolean;
  /** Optional JSON file replacing the built-in model catalog. */
  modelCatalogFile?: string;
  /** Append the log lines to this file instead of stdout (tests read them back; stdout is the norm). */
  logFile?: string;
  /** SAGEMAKER_MODE: every model's `mode`, whatever its catalog entry says; unset: each entry's own. */
  sagemakerMode?: 'async' | 'realtime';
}

const appEnvSchema = z.object({
  APP_ENV: z.enum(['local', 'test', 'aws']).default('aws'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: booleanFromEnv.default(false),
  MODELS_CATALOG_FILE: z.string().min(1).optional(),
  LOG_FILE: z.string().min(1).optional(),
  SAGEMAKER_MODE: z.enum(['async', 'realtime']).optional(),
});

export function loadAppConfig(env: Env): AppConfig {
  const parsed = parseEnv(appEnvSchema, env);
  return {
    environment: parsed.APP_ENV,
    logLevel: parsed.LOG_LEVEL,
    logPretty: parsed.LOG_PRETTY,
    ...(parsed.MODELS_CATALOG_FILE ? { modelCatalogFile: parsed.MODELS_CATALOG_FILE } : {}),
    ...(parsed.LOG_FILE ? { logFile: parsed.LOG_FILE } : {}),
    ...(parsed.SAGEMAKER_MODE ? { sagemakerMode: parsed.SAGEMAKER_MODE } : {}),
  };
}
