import 'reflect-metadata';
import { createApiApp } from './app.factory.js';
import { loadApiConfig } from './config/api.config.js';

const config = loadApiConfig(process.env);
const app = await createApiApp(config);
await app.listen(config.http.port, config.http.host);
