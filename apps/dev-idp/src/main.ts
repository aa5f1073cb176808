import { z } from 'zod';
import { DEFAULT_LOCAL_PORTS, LOCAL_CLIENT_ID, LOCAL_HOST, loadAppConfig, parseEnv, portFromEnv } from '#libs/config';
import { loggerOptions } from '#libs/logging';
import { closeOnShutdownSignals } from '#libs/runtime';
import { startDevIdp } from './idp.js';

const idpEnvSchema = z.object({
  IDP_HOST: z.string().min(1).default(LOCAL_HOST),
  IDP_PORT: portFromEnv.default(DEFAULT_LOCAL_PORTS.idp),
  /** Defaults to this server's own URL. */
  AUTH_ISSUER: z.url().optional(),
  AUTH_CLIENT_ID: z.string().min(1).default(LOCAL_CLIENT_ID),
  IDP_DATA_DIR: z.string().min(1).default('.local'),
});

const env = parseEnv(idpEnvSchema, process.env);
const idp = await startDevIdp({
  host: env.IDP_HOST,
  port: env.IDP_PORT,
  issuer: env.AUTH_ISSUER ?? `http://${env.IDP_HOST}:${env.IDP_PORT}`,
  clientId: env.AUTH_CLIENT_ID,
  dataDir: env.IDP_DATA_DIR,
  logger: loggerOptions(loadAppConfig(process.env), 'dev-idp'),
});

closeOnShutdownSignals(() => idp.close());
