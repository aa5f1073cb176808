import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '#libs/config';
import { createApiApp } from '../../apps/api/src/app.factory.js';
import { loadApiConfig } from '../../apps/api/src/config/api.config.js';
import { loadWorkerConfig } from '../../apps/worker/src/config/worker.config.js';
import { NotificationConsumer } from '../../apps/worker/src/notifications/notification-consumer.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';

/** Quiet logs and snappy polling for tests. */
const TEST_OVERRIDES: Env = { LOG_LEVEL: 'warn', LOG_PRETTY: 'false', WORKER_WAIT_TIME_SECONDS: '1' };

/** The api, in this process, against the emulators the global setup started (not listening: use supertest). */
export async function startApi(overrides: Env = {}): Promise<NestFastifyApplication> {
  const app = await createApiApp(loadApiConfig({ ...process.env, ...TEST_OVERRIDES, ...overrides }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export async function startWorker(overrides: Env = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.register(loadWorkerConfig({ ...process.env, ...TEST_OVERRIDES, ...overrides })),
    { logger: false },
  );
  app.get(NotificationConsumer).start();
  return app;
}

/** A token from the dev identity provider, as `npm run token` gets one. */
export async function tokenFor(username: string, options: { expiresInSeconds?: number } = {}): Promise<string> {
  const response = await fetch(`${process.env.AUTH_ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, ...options }),
  });
  if (!response.ok) {
    throw new Error(`dev identity provider answered ${response.status}`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}
