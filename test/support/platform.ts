import { pipeline, Readable, Transform } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Env } from '#libs/config';
import { createApiApp } from '../../apps/api/src/app.factory.js';
import { loadApiConfig } from '../../apps/api/src/config/api.config.js';
import { loadWorkerConfig } from '../../apps/worker/src/config/worker.config.js';
import { NotificationConsumer } from '../../apps/worker/src/notifications/notification-consumer.js';
import { Reaper } from '../../apps/worker/src/reaper/reaper.js';
import { ProgressConsumer } from '../../apps/worker/src/progress/progress-consumer.js';
import { WEBHOOK_CONSUMER } from '../../apps/worker/src/webhooks/webhook-consumer.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { contractRecorder } from './openapi-contract.js';

/**
 * The api in this process against a test stack (not listening: use supertest on getHttpServer()). Unless
 * `checkContract` is false (the benchmark), every answer it sends is checked against the committed openapi.json;
 * test/support/openapi-contract.setup.ts fails the test that received an answer the document does not describe.
 */
export async function startApi(
  env: Env,
  overrides: Env = {},
  { checkContract = true }: { checkContract?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await createApiApp(loadApiConfig({ ...env, ...overrides }));
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  if (checkContract) {
    recordAnswers(fastify);
  }
  await fastify.ready();
  return app;
}

function recordAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const observed = (body: string | undefined) =>
      contractRecorder.record({
        method: request.method,
        route: request.routeOptions.url,
        url: request.url,
        status: reply.statusCode,
        headers: reply.getHeaders(),
        body,
        requestHeaders: request.headers,
      });
    if (isStream(payload)) {
      // a streamed answer is checked once it has all passed through; one cut short is not checked
      // pipeline, not pipe: an error of the source must reach the answer (which Fastify then cuts off)
      const tapped = collecting(observed);
      pipeline(payload, tapped, () => undefined);
      return tapped;
    }
    observed(typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined);
    return payload;
  });
}

function isStream(payload: unknown): payload is Readable {
  return payload instanceof Readable;
}

/** Passes every chunk on and hands the whole text to `done` at the end. */
function collecting(done: (body: string) => void): Transform {
  const chunks: Buffer[] = [];
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback(null, chunk);
    },
    flush(callback) {
      done(Buffer.concat(chunks).toString('utf8'));
      callback();
    },
  });
}

/** The worker in this process, consuming the stack's notifications, progress and webhook queues and running the reaper. */
export async function startWorker(env: Env, overrides: Env = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.register(loadWorkerConfig({ ...env, ...overrides })),
    // as apps/worker/src/serve.ts: a failed start throws (a test can expect it) instead of exiting the process
    { logger: false, abortOnError: false },
  );
  app.get(NotificationConsumer).start();
  app.get(Reaper).start();
  app.get(ProgressConsumer).start();
  app.get<NotificationConsumer>(WEBHOOK_CONSUMER).start();
  return app;
}

/** A token from the stack's dev identity provider, as `npm run token` gets one. */
export async function tokenFor(
  env: Env,
  username: string,
  options: { expiresInSeconds?: number; admin?: boolean } = {},
): Promise<string> {
  const response = await fetch(`${env.AUTH_ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, ...options }),
  });
  if (!response.ok) {
    throw new Error(`dev identity provider answered ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}
