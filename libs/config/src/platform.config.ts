import { type AppConfig, loadAppConfig } from './app.config.js';
import { type AwsConfig, loadAwsConfig } from './aws.config.js';
import type { Env } from './env.js';
import { loadResourcesConfig, type ResourcesConfig } from './resources.config.js';

/** What the api and the worker both need: the app settings, the AWS clients' settings and the resource names. */
export interface PlatformConfig {
  app: AppConfig;
  aws: AwsConfig;
  resources: ResourcesConfig;
}

export function loadPlatformConfig(env: Env): PlatformConfig {
  return { app: loadAppConfig(env), aws: loadAwsConfig(env), resources: loadResourcesConfig(env) };
}
