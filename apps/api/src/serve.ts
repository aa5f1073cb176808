import 'reflect-metadata';
import { ConfigValidationError } from '#libs/config';
import { createApiApp } from './app.factory.js';
import { loadApiConfig } from './config/api.config.js';

try {
  const config = loadApiConfig(process.env);
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
} catch (error) {
  // a configuration error names every bad variable: print just that
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
}
