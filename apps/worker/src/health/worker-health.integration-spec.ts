import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { waitFor } from '#libs/testing';
import { startBlackHole, type BlackHole } from '../../../../test/support/black-hole.js';
import { startWorker } from '../../../../test/support/platform.js';
import { startTestStack, type TestStack } from '../../../../test/support/test-stack.js';
import { WorkerHealthServer } from './health-server.js';

async function probe(worker: INestApplicationContext, path: string): Promise<{ status: number; body: unknown }> {
  const { port } = worker.get(WorkerHealthServer);
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

describe('worker health endpoint', () => {
  let stack: TestStack;
  let hole: BlackHole;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    stack = await startTestStack();
    hole = await startBlackHole();
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  afterAll(async () => {
    await hole?.close();
    await stack?.stop();
  });

  it('is live and ready while the worker polls its queue', async () => {
    worker = await startWorker(stack.env);
    await expect(probe(worker, '/health/live')).resolves.toEqual({ status: 200, body: { status: 'ok' } });
    await expect(probe(worker, '/health/ready')).resolves.toEqual({ status: 200, body: { status: 'ok' } });
    await expect(probe(worker, '/health/other')).resolves.toMatchObject({ status: 404 });
  });

  it('turns not ready (503, no details in the body) when SQS accepts connections and never answers', async () => {
    worker = await startWorker(stack.env, {
      AWS_ENDPOINT_URL_SQS: hole.url,
      AWS_REQUEST_TIMEOUT_MS: '300',
      WORKER_WAIT_TIME_SECONDS: '1',
    });
    // stall bound: 2 × (1 s wait + 0.3 s + 1 s long poll) = 4.6 s
    const unready = await waitFor(
      async () => {
        const result = await probe(worker!, '/health/ready');
        return result.status === 503 ? result : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'the worker to turn not ready' },
    );
    expect(unready.body).toEqual({ status: 'unavailable' });
    expect(hole.connections()).toBeGreaterThan(0);
  });
});
