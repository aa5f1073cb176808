import { z } from 'zod';
import { DEFAULT_LOCAL_PORTS, LOCAL_HOST, loadAppConfig, parseEnv, portFromEnv } from '#libs/config';
import { loggerOptions } from '#libs/logging';
import { closeOnShutdownSignals } from '#libs/runtime';
import { buildWebServer } from './server.js';

const webEnvSchema = z.object({
  WEB_HOST: z.string().min(1).default(LOCAL_HOST),
  WEB_PORT: portFromEnv.default(DEFAULT_LOCAL_PORTS.web),
  WEB_API_URL: z.url().default(`http://${LOCAL_HOST}:${DEFAULT_LOCAL_PORTS.api}`),
  // the built dashboard; default apps/web/dist
  WEB_STATIC_DIR: z.string().min(1).optional(),
  // enables the dashboard's dev sign-in through the dev identity provider (make dev sets it; never in AWS)
  WEB_DEV_IDP_URL: z.url().optional(),
});

const env = parseEnv(webEnvSchema, process.env);
const app = await buildWebServer({
  apiUrl: env.WEB_API_URL,
  ...(env.WEB_STATIC_DIR ? { staticDir: env.WEB_STATIC_DIR } : {}),
  ...(env.WEB_DEV_IDP_URL ? { devIdpUrl: env.WEB_DEV_IDP_URL } : {}),
  logger: loggerOptions(loadAppConfig(process.env), 'web'),
});
await app.listen({ host: env.WEB_HOST, port: env.WEB_PORT });

closeOnShutdownSignals(() => app.close());
