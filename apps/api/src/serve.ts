import 'reflect-metadata';
import { ConfigValidationError } from '#libs/config';
import { ModelCatalogError } from '#libs/models';
import { createApiApp } from './app.factory.js';
import { loadApiConfig } from './config/api.config.js';

try {
  const config = loadApiConfig(process.env);
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
} catch (error) {
  // a configuration error names every bad variable, a catalog error every bad entry: print just that
  console.error(error instanceof ConfigValidationError || error instanceof ModelCatalogError ? error.message : error);
  process.exit(1);
}
