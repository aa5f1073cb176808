import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ulid } from 'ulid';
import { ImggenError, imggenClient, render } from '../../examples/typescript-client/render.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** The README's backend example: the generated client with an API key, against the running platform. */
describe('examples/typescript-client with an API key', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let baseUrl: string;
  let alice: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
    await api.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    alice = await tokenFor(stack.env, `client-alice-${ulid()}`);
  }, 90_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  async function createKey(scopes: string[]): Promise<string> {
    const answer = await fetch(`${baseUrl}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `backend-${scopes.join('-')}`, scopes }),
    });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { key: string }).key;
  }

  it('renders a job to SUCCEEDED and reads its image through the presigned URL', async () => {
    const client = imggenClient(baseUrl, await createKey(['jobs:write', 'jobs:read']));
    const job = await render(client, { prompt: 'a lighthouse at dawn', steps: 20 }, { pollMs: 50 });

    expect(job.status).toBe('SUCCEEDED');
    expect(job.params.steps).toBe(20);
    const image = await fetch(job.imageUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('submits once per idempotency key, however often the backend retries', async () => {
    const client = imggenClient(baseUrl, await createKey(['jobs:write', 'jobs:read']));
    const idempotencyKey = ulid();
    const first = await render(client, { prompt: 'a red fox' }, { idempotencyKey, pollMs: 50 });
    const retried = await render(client, { prompt: 'a red fox' }, { idempotencyKey, pollMs: 50 });
    expect(retried.jobId).toBe(first.jobId);
    const other = await render(client, { prompt: 'a red fox' }, { idempotencyKey: ulid(), pollMs: 50 });
    expect(other.jobId).not.toBe(first.jobId);
  });

  it('surfaces the problem of a key without the scope: 403 naming it', async () => {
    const client = imggenClient(baseUrl, await createKey(['jobs:read']));
    const refused = await render(client, { prompt: 'a red fox' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ImggenError);
    expect(refused).toMatchObject({ status: 403, problem: { type: '/problems/forbidden' } });
    expect((refused as ImggenError).message).toMatch(/jobs:write/);
  });
});
