import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Env, LOCAL_CLIENT_ID, localEnvironment } from '#libs/config';
import { freePort, provisionResources } from '#libs/local-stack';
import { startDevIdp } from '../../apps/dev-idp/src/idp.js';
import { loadStubConfig } from '../../apps/sagemaker-stub/src/config.js';
import { type RunningStub, startStub } from '../../apps/sagemaker-stub/src/server.js';
import { startAwsBackend } from './aws-backend.js';

export interface TestStack {
  /** Everything the api, worker and adapters need to reach this stack (same variables as `make dev`). */
  env: Env;
  /** The SageMaker stub, running in this process. */
  stub: RunningStub;
  stop(): Promise<void>;
}

/** Test timings: the stub renders at once. Logs are off unless TEST_LOG_LEVEL asks for them. */
export const TEST_ENV: Env = {
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  LOG_PRETTY: 'false',
  STUB_BASE_INFERENCE_MS: '0',
  STUB_MS_PER_STEP_MEGAPIXEL: '0',
  STUB_COLD_START_MS: '0',
  STUB_INSTANCE_CONCURRENCY: '8',
  WORKER_WAIT_TIME_SECONDS: '1',
  // the queue is provisioned with TEST_MAX_RECEIVE_COUNT; quick retries so tests see them
  WORKER_MAX_RECEIVE_COUNT: '3',
  WORKER_RETRY_BASE_DELAY_SECONDS: '1',
  WORKER_POISON_DELAY_SECONDS: '1',
  // limits out of the way of tests about something else; the limit tests set their own
  LIMITS_REQUESTS_PER_MINUTE: '100000',
  LIMITS_JOBS_PER_DAY: '100000',
  LIMITS_JOBS_IN_FLIGHT: '10000',
  // webhook retries in seconds, not hours: 1 s, then 2 s, ... (the schedule's shape, scaled down)
  WEBHOOKS_RETRY_BASE_SECONDS: '1',
  WEBHOOKS_RETRY_FACTOR: '2',
};

/**
 * The local platform's AWS side for one test file: dynalite and fauxqs on free ports (in memory), or resources of
 * its own in the run's LocalStack (TEST_AWS_BACKEND=localstack, see aws-backend.ts), provisioned exactly as
 * `make dev` does, the dev identity provider and the SageMaker stub. One stack per file keeps files independent
 * (no shared queue between two files' workers).
 */
export async function startTestStack(overrides: Env = {}): Promise<TestStack> {
  // The stub's and the IdP's ports are picked free before they listen (their URLs go into the environment first);
  // another test file's server may take one in between: then the stack starts again on other ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startTestStackOnce(overrides);
    } catch (error) {
      if (attempt >= 3 || (error as { code?: unknown } | undefined)?.code !== 'EADDRINUSE') {
        throw error;
      }
    }
  }
}

async function startTestStackOnce(overrides: Env): Promise<TestStack> {
  const aws = await startAwsBackend();
  const ports = {
    api: 0,
    web: 0,
    fauxqs: aws.ports.fauxqs,
    dynalite: aws.ports.dynalite,
    stub: await freePort(),
    idp: await freePort(),
    workerHealth: 0,
    apiMetrics: 0,
  };
  // the stack's own key file for webhook secrets (make dev keeps its own under .local/)
  const dataDir = await mkdtemp(path.join(tmpdir(), 'imggen-test-'));
  const env: Env = {
    ...aws.environment(localEnvironment({ ports, environment: 'test', prefix: aws.prefix })),
    ...TEST_ENV,
    WEBHOOKS_LOCAL_KEY_FILE: path.join(dataDir, 'webhook-secrets.key'),
    ...overrides,
  };
  let idp: Awaited<ReturnType<typeof startDevIdp>> | undefined;
  try {
    await provisionResources({ env, maxReceiveCount: Number(env.WORKER_MAX_RECEIVE_COUNT) });
    const runningIdp = (idp = await startDevIdp({
      port: ports.idp,
      issuer: env.AUTH_ISSUER!,
      clientId: LOCAL_CLIENT_ID,
    }));
    const stub = await startStub({ config: loadStubConfig(env) });
    return {
      env,
      stub,
      async stop() {
        await stub.close();
        await runningIdp.close();
        await aws.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // nothing of a stack that could not start stays behind
    await idp?.close();
    await aws.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
