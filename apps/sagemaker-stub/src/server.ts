import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadModelCatalog, type ModelCatalog } from '#libs/models';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type NotificationPublisher, SnsNotificationPublisher } from './aws/notification-publisher.js';
import { type PayloadStore, S3PayloadStore } from './aws/payload-store.js';
import type { StubConfig } from './config.js';
import { AsyncInvocationService } from './inference/async-invocations.js';
import { CancelWatch } from './inference/cancel-watch.js';
import { type Clock, systemClock } from './inference/clock.js';
import { EndpointRegistry } from './inference/endpoint-registry.js';
import { InflightTracker } from './inference/inflight-tracker.js';
import { ProgressReporter } from './inference/progress-reporter.js';
import { createLogger } from '#libs/logging';
import { SageMakerApiError, sendApiError } from './protocol/api-error.js';
import { registerControlPlaneRoutes } from './protocol/control-plane.routes.js';
import { MAX_REALTIME_BODY_BYTES, RESPONSE_HEADERS } from './protocol/headers.js';
import { registerRuntimeRoutes } from './protocol/runtime.routes.js';
import type { StubContext } from './protocol/stub-context.js';
import { InvocationThrottle } from './protocol/throttle.js';

/** The account id the stub claims (fauxqs and LocalStack use the same). */
export const STUB_ACCOUNT_ID = '000000000000';

export interface StartStubOptions {
  config: StubConfig;
  /** Default: MODELS_CATALOG_FILE (config.app.modelCatalogFile) or the built-in catalog. */
  catalog?: ModelCatalog;
  /** Default: pino from config.app (LOG_LEVEL, LOG_PRETTY). */
  logger?: Logger;
  /** Default: the system clock. Unit tests drive a ManualClock. */
  clock?: Clock;
  /** Default: S3 through the AWS SDK, configured from config.aws. */
  payloadStore?: PayloadStore;
  /** Default: SNS through the AWS SDK, configured from config.aws. */
  publisher?: NotificationPublisher;
}

export interface StubApp {
  app: FastifyInstance;
  context: StubContext;
  /** Resolves when no invocation is being read, queued, run, written or notified. */
  idle: () => Promise<void>;
  /** Stops accepting requests, drops queued invocations (logged), aborts running ones and closes the clients. */
  close: () => Promise<void>;
}

export interface RunningStub {
  url: string;
  port: number;
  /** The stub's insides, for tests that watch its endpoints' queues. */
  context: StubContext;
  close(): Promise<void>;
  idle(): Promise<void>;
}

/** Builds the stub's Fastify app without listening (tests use `app.inject`). */
export function buildStub(options: StartStubOptions): StubApp {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.app, 'sagemaker-stub');
  const clock = options.clock ?? systemClock;
  const catalog = options.catalog ?? loadModelCatalog(config.app);
  const store = options.payloadStore ?? new S3PayloadStore(config.aws);
  const publisher = options.publisher ?? new SnsNotificationPublisher(config.aws);
  const { simulation } = config;
  const timing = { baseInferenceMs: simulation.baseInferenceMs, msPerStepMegapixel: simulation.msPerStepMegapixel };
  const endpoints = new EndpointRegistry(
    catalog,
    {
      concurrencyPerInstance: simulation.instanceConcurrency,
      minInstances: simulation.minInstances,
      maxInstances: simulation.maxInstances,
      coldStartMs: simulation.coldStartMs,
      scaleInAfterMs: simulation.scaleToZeroAfterMs,
    },
    clock,
  );
  const tracker = new InflightTracker();
  const asyncInvocations = new AsyncInvocationService(
    {
      region: config.aws.region,
      outputUri: config.outputS3Uri,
      ...(config.failureS3Uri ? { failureUri: config.failureS3Uri } : {}),
      ...(config.successTopicArn ? { successTopicArn: config.successTopicArn } : {}),
      ...(config.errorTopicArn ? { errorTopicArn: config.errorTopicArn } : {}),
      timing,
      progressIntervalMs: simulation.progressIntervalMs,
    },
    {
      clock,
      store,
      publisher,
      tracker,
      logger,
      progress: new ProgressReporter(publisher, config.progressTopicArn, clock, logger),
      ...(config.cancelS3Uri
        ? {
            cancelWatch: new CancelWatch(
              { markerUri: config.cancelS3Uri, intervalMs: config.cancelCheckIntervalMs },
              (location) => store.exists(location),
              clock,
              logger,
            ),
          }
        : {}),
    },
  );
  const context: StubContext = {
    accountId: STUB_ACCOUNT_ID,
    region: config.aws.region,
    endpoints,
    asyncInvocations,
    tracker,
    clock,
    logger,
    timing,
    throttle: new InvocationThrottle(config.throttleAttempts),
    asyncConfig: {
      outputUri: config.outputS3Uri,
      ...(config.failureS3Uri ? { failureUri: config.failureS3Uri } : {}),
      ...(config.successTopicArn ? { successTopicArn: config.successTopicArn } : {}),
      ...(config.errorTopicArn ? { errorTopicArn: config.errorTopicArn } : {}),
      maxConcurrentInvocationsPerInstance: simulation.instanceConcurrency,
    },
  };

  const app = Fastify({
    logger: false,
    // Real-time payloads go up to 6 MiB; the async inline limit (128,000 bytes) is checked by the route.
    bodyLimit: MAX_REALTIME_BODY_BYTES + 1024,
    genReqId: () => randomUUID(),
  });
  // Every payload is opaque bytes to SageMaker: no JSON parsing, whatever the content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header(RESPONSE_HEADERS.requestId, request.id);
  });
  app.setErrorHandler((error: FastifyError | SageMakerApiError, request, reply) => {
    if (error instanceof SageMakerApiError) {
      logger.debug({ event: 'request.rejected', url: request.url, error: error.message }, 'request rejected');
      return sendApiError(reply, error);
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode < 500) {
      // Fastify's own client errors (body too large...) in SageMaker's error shape.
      return sendApiError(reply, new SageMakerApiError(statusCode, 'ValidationError', error.message));
    }
    logger.error({ event: 'request.error', url: request.url, err: error }, 'internal error');
    return sendApiError(reply, new SageMakerApiError(500, 'InternalFailure', 'An internal error occurred.'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(
      reply,
      new SageMakerApiError(404, 'UnknownOperationException', `No operation at ${request.method} ${request.url}.`),
    ),
  );
  registerRuntimeRoutes(app, context);
  registerControlPlaneRoutes(app, context);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      endpoints.close();
      await app.close();
      await tracker.idle();
      if (!options.payloadStore) {
        store.close();
      }
      if (!options.publisher) {
        publisher.close();
      }
    })();
    return closing;
  };
  return { app, context, idle: () => tracker.idle(), close };
}

/** Starts the stub on config.host:config.port (port 0 picks a free one). */
export async function startStub(options: StartStubOptions): Promise<RunningStub> {
  const stub = buildStub(options);
  await stub.app.listen({ host: options.config.host, port: options.config.port });
  const address = stub.app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  stub.context.logger.info(
    {
      event: 'stub.started',
      url: `http://${host}:${address.port}`,
      endpoints: stub.context.endpoints.list().map((e) => e.name),
    },
    'sagemaker-stub listening',
  );
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    context: stub.context,
    close: stub.close,
    idle: stub.idle,
  };
}
