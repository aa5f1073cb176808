import { z } from 'zod';
import { DEFAULT_LOCAL_PORTS, LOCAL_HOST, loadAppConfig, parseEnv, portFromEnv } from '#libs/config';
import { loggerOptions } from '#libs/logging';
import { closeOnShutdownSignals } from '#libs/runtime';
import { buildWebServer } from './server.js';

const webEnvSchema = z.object({
  WEB_HOST: z.string().min(1).default(LOCAL_HOST),
  WEB_PORT: portFromEnv.default(DEFAULT_LOCAL_PORTS.web),
  WEB_API_URL: z.url().default(`http://${LOCAL_HOST}:${DEFAULT_LOCAL_PORTS.api}`),
});

const env = parseEnv(webEnvSchema, process.env);
const app = await buildWebServer({
  apiUrl: env.WEB_API_URL,
  logger: loggerOptions(loadAppConfig(process.env), 'web'),
});
await app.listen({ host: env.WEB_HOST, port: env.WEB_PORT });

closeOnShutdownSignals(() => app.close());
