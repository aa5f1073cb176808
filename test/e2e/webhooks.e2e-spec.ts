import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { ulid } from 'ulid';
import { SSRF_BLOCKED_ADDRESSES, waitFor } from '#libs/testing';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** One delivery as the receiver saw it, verified with the reference implementation. */
interface Received {
  path: string;
  webhookId: string;
  signatures: string[];
  headers: Record<string, string>;
  body: string;
  answered?: number;
}

type Answer = number | 'hang';

interface Attempt {
  deliveryId: string;
  event: string;
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  durationMs: number;
}

/**
 * A webhook receiver on 127.0.0.1 (make dev and tests allow loopback receivers). Each path answers from its own
 * script (e.g. 500, 500, 200); a `hang` answer holds the request open.
 */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly hung: http.ServerResponse[] = [];
  private server!: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const answer = this.scripts.get(path)?.shift() ?? 200;
        const entry: Received = {
          path,
          webhookId: headers['webhook-id'] ?? '',
          signatures: (headers['webhook-signature'] ?? '').split(' '),
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(entry);
        if (answer === 'hang') {
          this.hung.push(res);
          return;
        }
        entry.answered = answer;
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A fresh path answering `answers` in turn (200 after them). */
  hook(answers: Answer[] = []): { url: string; path: string } {
    const path = `/hook/${ulid()}`;
    this.scripts.set(path, [...answers]);
    return { url: `http://127.0.0.1:${this.port}${path}`, path };
  }

  at(path: string): Received[] {
    return this.received.filter((entry) => entry.path === path);
  }

  async stop(): Promise<void> {
    for (const res of this.hung) {
      res.destroy();
    }
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('webhooks (api → SQS webhook queue → worker → receiver)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let alice: string;
  let bob: string;
  const receiver = new Receiver();
  /**
   * Messages reappear 2 s after a worker stops holding them: a long poll cut off by a closing worker may still take
   * a message on the emulator's side (SQS does the same), which then waits out its visibility timeout.
   */
  const workerEnv = { WORKER_VISIBILITY_TIMEOUT_SECONDS: '2' };

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    worker = await startWorker(stack.env, workerEnv);
    alice = await tokenFor(stack.env, `alice-${ulid()}`);
    bob = await tokenFor(stack.env, `bob-${ulid()}`);
    await receiver.start();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver.stop();
    await stack?.stop();
  });

  const http$ = () => request(api.getHttpServer());
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  async function secretOf(token: string): Promise<string> {
    return ((await http$().get('/v1/webhooks/secret').set(auth(token)).expect(200)).body as { secret: string }).secret;
  }

  async function submit(token: string, body: object): Promise<string> {
    return ((await http$().post('/v1/jobs').set(auth(token)).send(body).expect(202)).body as { jobId: string }).jobId;
  }

  async function attemptsOf(token: string, jobId: string): Promise<Attempt[]> {
    const page = (await http$().get(`/v1/jobs/${jobId}/deliveries?limit=100`).set(auth(token)).expect(200)).body as {
      items: Attempt[];
    };
    return page.items;
  }

  /** Verifies with the reference implementation; throws when the signature does not match `secret`. */
  function verify(secret: string, delivery: Received): unknown {
    return new Webhook(secret).verify(delivery.body, delivery.headers);
  }

  it('signs every delivery, retries 500, 500 then 200 with the same webhook-id, and logs three attempts', async () => {
    const secret = await secretOf(alice);
    expect(secret).toMatch(/^whsec_/);
    const hook = receiver.hook([500, 500, 200]);
    const jobId = await submit(alice, { prompt: 'a webhook test', webhookUrl: hook.url });

    const deliveries = await waitFor(() => (receiver.at(hook.path).length >= 3 ? receiver.at(hook.path) : undefined), {
      timeoutMs: 30_000,
      description: 'three deliveries',
    });
    expect(deliveries.map((d) => d.webhookId)).toEqual([
      `${jobId}.completed`,
      `${jobId}.completed`,
      `${jobId}.completed`,
    ]);
    for (const delivery of deliveries) {
      expect(verify(secret, delivery)).toMatchObject({
        type: 'job.completed',
        data: { jobId, status: 'SUCCEEDED', links: { self: `/v1/jobs/${jobId}` } },
      });
      // no presigned URL that could expire before a retry
      expect(delivery.body).not.toContain('X-Amz-');
    }
    // the same body every time; each attempt carries its own timestamp
    expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);

    const attempts = await waitFor(
      async () => {
        const logged = await attemptsOf(alice, jobId);
        return logged.length >= 3 ? logged : undefined;
      },
      { description: 'three logged attempts' },
    );
    expect(attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'delivered', 200],
    ]);
    expect(attempts.every((a) => a.deliveryId === `${jobId}.completed` && a.event === 'job.completed')).toBe(true);
    expect(attempts[0]!.error).toBe('the receiver answered 500');
    expect(attempts[0]!.nextAttemptAt).not.toBeNull();
    expect(attempts[2]!.nextAttemptAt).toBeNull();
    // nothing more comes once delivered
    expect(receiver.at(hook.path)).toHaveLength(3);
  });

  it('sends the events a job chose: queued and completed, each under its own stable id', async () => {
    const secret = await secretOf(alice);
    const hook = receiver.hook();
    const jobId = await submit(alice, {
      prompt: 'events',
      webhookUrl: hook.url,
      webhookEvents: ['queued', 'completed'],
    });
    const deliveries = await waitFor(() => (receiver.at(hook.path).length >= 2 ? receiver.at(hook.path) : undefined), {
      timeoutMs: 20_000,
      description: 'queued and completed',
    });
    const byId = new Map(
      deliveries.map((d) => [d.webhookId, verify(secret, d) as { type: string; data: { status: string } }]),
    );
    expect(byId.get(`${jobId}.queued`)).toMatchObject({ type: 'job.queued', data: { status: 'QUEUED' } });
    expect(byId.get(`${jobId}.completed`)).toMatchObject({ type: 'job.completed', data: { status: 'SUCCEEDED' } });
  });

  it('after a rotation, signs with both secrets for the overlap: the old and the new one each verify', async () => {
    const user = await tokenFor(stack.env, `rotator-${ulid()}`);
    const old = await secretOf(user);
    const rotated = (await http$().post('/v1/webhooks/secret/rotate').set(auth(user)).expect(200)).body as {
      secret: string;
      previousSecretRetiresAt: string;
    };
    expect(rotated.secret).not.toBe(old);
    const overlapHours = (Date.parse(rotated.previousSecretRetiresAt) - Date.now()) / 3_600_000;
    expect(overlapHours).toBeGreaterThan(23.9);
    expect(overlapHours).toBeLessThanOrEqual(24);
    expect(await secretOf(user)).toBe(rotated.secret);

    const hook = receiver.hook();
    await submit(user, { prompt: 'rotation', webhookUrl: hook.url });
    const [delivery] = await waitFor(() => (receiver.at(hook.path).length > 0 ? receiver.at(hook.path) : undefined), {
      timeoutMs: 20_000,
      description: 'a delivery',
    });
    expect(delivery!.signatures).toHaveLength(2);
    expect(verify(old, delivery!)).toMatchObject({ type: 'job.completed' });
    expect(verify(rotated.secret, delivery!)).toMatchObject({ type: 'job.completed' });
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, delivery!)).toThrow();
  });

  it('refuses a clearly bad webhookUrl at submit with a 400 naming it', async () => {
    for (const webhookUrl of [
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/',
      'ftp://example.com/',
    ]) {
      const response = await http$().post('/v1/jobs').set(auth(alice)).send({ prompt: 'p', webhookUrl }).expect(400);
      expect((response.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual([
        'webhookUrl',
      ]);
    }
    const events = await http$()
      .post('/v1/jobs')
      .set(auth(alice))
      .send({ prompt: 'p', webhookEvents: ['queued'] })
      .expect(400);
    expect((events.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['webhookEvents']);
  });

  it('refuses every SSRF case given as an IP literal at submit, where loopback receivers are off (as in AWS)', async () => {
    const strictApi = await startApi(stack.env, { WEBHOOKS_ALLOW_LOOPBACK: 'false' });
    try {
      const refused: string[] = [];
      for (const [address, range] of SSRF_BLOCKED_ADDRESSES) {
        const webhookUrl = `http://${address.includes(':') ? `[${address}]` : address}/hook`;
        const response = await request(strictApi.getHttpServer())
          .post('/v1/jobs')
          .set(auth(alice))
          .send({ prompt: 'p', webhookUrl });
        const fields = (response.body as { errors?: Array<{ field: string }> }).errors?.map((e) => e.field);
        expect({ webhookUrl, status: response.status, fields }).toEqual({
          webhookUrl,
          status: 400,
          fields: ['webhookUrl'],
        });
        refused.push(`${webhookUrl.padEnd(50)} ${range}`);
      }
      console.log(`SSRF cases refused at submit (400 naming webhookUrl):\n${refused.join('\n')}`);
    } finally {
      await strictApi.close();
    }
  });

  it('redelivery, carelessly: twice sends twice under one webhook-id; unknown ids and other users’ jobs are 404', async () => {
    const hook = receiver.hook();
    const jobId = await submit(alice, { prompt: 'redeliver twice', webhookUrl: hook.url });
    await waitFor(async () => ((await attemptsOf(alice, jobId)).length === 1 ? true : undefined), {
      timeoutMs: 20_000,
      description: 'the first delivery logged',
    });
    const redeliver = (token: string, job: string, deliveryId: string) =>
      http$()
        .post(`/v1/jobs/${job}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`)
        .set(auth(token));

    // both at once: each is queued, each is sent and logged as attempt 1 of its own, the receiver dedupes on the id
    const twice = await Promise.all([
      redeliver(alice, jobId, `${jobId}.completed`),
      redeliver(alice, jobId, `${jobId}.completed`),
    ]);
    expect(twice.map((r) => r.status)).toEqual([202, 202]);
    const deliveries = await waitFor(() => (receiver.at(hook.path).length === 3 ? receiver.at(hook.path) : undefined), {
      timeoutMs: 20_000,
      description: 'the original and two redeliveries',
    });
    expect(deliveries.map((d) => d.webhookId)).toEqual([
      `${jobId}.completed`,
      `${jobId}.completed`,
      `${jobId}.completed`,
    ]);
    const attempts = await waitFor(
      async () => {
        const logged = await attemptsOf(alice, jobId);
        return logged.length === 3 ? logged : undefined;
      },
      { description: 'three logged attempts' },
    );
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'delivered'],
      [1, 'delivered'],
      [1, 'delivered'],
    ]);

    const other = await submit(alice, { prompt: 'no webhook' });
    for (const [token, job, deliveryId] of [
      [alice, jobId, `${jobId}.queued`], // an event the job did not choose
      [alice, jobId, `${jobId}.progress.3`],
      [alice, jobId, 'nonsense'],
      [alice, jobId, `${other}.completed`], // another job's id
      [alice, other, `${other}.completed`], // a job without a webhook
      [alice, ulid(), `${jobId}.completed`], // no such job
      [bob, jobId, `${jobId}.completed`], // someone else's job
    ] as const) {
      const response = await redeliver(token, job, deliveryId);
      expect({ job, deliveryId, status: response.status }).toEqual({ job, deliveryId, status: 404 });
    }
    // nothing more was sent
    expect(receiver.at(hook.path)).toHaveLength(3);
  });

  it('shows the delivery log to the owner only, in pages, and redelivers an event with the same webhook-id', async () => {
    const hook = receiver.hook([500]);
    const jobId = await submit(alice, { prompt: 'log', webhookUrl: hook.url });
    await waitFor(
      async () => ((await attemptsOf(alice, jobId)).some((a) => a.outcome === 'delivered') ? true : undefined),
      {
        timeoutMs: 20_000,
        description: 'the delivery',
      },
    );
    await http$().get(`/v1/jobs/${jobId}/deliveries`).set(auth(bob)).expect(404);
    await http$().post(`/v1/jobs/${jobId}/deliveries/${jobId}.completed/redeliver`).set(auth(bob)).expect(404);

    const first = (await http$().get(`/v1/jobs/${jobId}/deliveries?limit=1`).set(auth(alice)).expect(200)).body as {
      items: Attempt[];
      nextCursor: string;
    };
    expect(first.items.map((a) => a.attempt)).toEqual([1]);
    const second = (
      await http$().get(`/v1/jobs/${jobId}/deliveries?limit=1&cursor=${first.nextCursor}`).set(auth(alice)).expect(200)
    ).body as { items: Attempt[]; nextCursor: string | null };
    expect(second.items.map((a) => [a.attempt, a.outcome])).toEqual([[2, 'delivered']]);

    const before = receiver.at(hook.path).length;
    const redelivered = await http$()
      .post(`/v1/jobs/${jobId}/deliveries/${jobId}.completed/redeliver`)
      .set(auth(alice))
      .expect(202);
    expect(redelivered.body).toEqual({ deliveryId: `${jobId}.completed`, status: 'queued' });
    const again = await waitFor(() => receiver.at(hook.path)[before], {
      timeoutMs: 20_000,
      description: 'the redelivery',
    });
    expect(again.webhookId).toBe(`${jobId}.completed`);
    await waitFor(async () => ((await attemptsOf(alice, jobId)).length === 3 ? true : undefined), {
      description: 'the redelivery logged',
    });
    await http$().post(`/v1/jobs/${jobId}/deliveries/${jobId}.queued/redeliver`).set(auth(alice)).expect(404);
  });

  it('a worker closed mid-delivery loses nothing: a new worker delivers the same event', async () => {
    const secret = await secretOf(alice);
    const hook = receiver.hook(['hang']);
    // a short shutdown bound: the stuck delivery is handed back to the queue instead of waited for
    await worker.close();
    worker = await startWorker(stack.env, { ...workerEnv, WORKER_SHUTDOWN_TIMEOUT_MS: '500' });
    const jobId = await submit(alice, { prompt: 'restart', webhookUrl: hook.url });
    await waitFor(() => receiver.at(hook.path)[0], { timeoutMs: 20_000, description: 'the first (stuck) delivery' });
    await worker.close();
    worker = await startWorker(stack.env, workerEnv);
    const delivered = await waitFor(() => receiver.at(hook.path).find((d) => d.answered === 200), {
      timeoutMs: 20_000,
      description: 'the delivery by the new worker',
    });
    expect(delivered.webhookId).toBe(`${jobId}.completed`);
    expect(verify(secret, delivered)).toMatchObject({ data: { jobId, status: 'SUCCEEDED' } });
    // the new worker delivered from the message the old one handed back; the old one's stuck attempt may or may not
    // have timed out and been logged (`retrying`) first, depending on how long the restart took
    const attempts = await waitFor(
      async () => {
        const logged = await attemptsOf(alice, jobId);
        return logged.at(-1)?.outcome === 'delivered' ? logged : undefined;
      },
      { timeoutMs: 20_000, description: 'the delivery logged' },
    );
    expect(attempts.every((a) => a.outcome === 'delivered' || a.outcome === 'retrying')).toBe(true);
  });

  it('records in the log a URL that only turns out blocked at delivery, and never calls it', async () => {
    await worker.close();
    // this worker allows no loopback receiver; the api (which does) accepts the URL
    worker = await startWorker(stack.env, { ...workerEnv, WEBHOOKS_ALLOW_LOOPBACK: 'false' });
    const hook = receiver.hook();
    const jobId = await submit(alice, { prompt: 'blocked', webhookUrl: hook.url.replace('127.0.0.1', 'localhost') });
    const [attempt] = await waitFor(
      async () => {
        const logged = await attemptsOf(alice, jobId);
        return logged.length > 0 ? logged : undefined;
      },
      { timeoutMs: 20_000, description: 'the blocked attempt' },
    );
    expect(attempt).toMatchObject({ outcome: 'blocked', statusCode: null, nextAttemptAt: null });
    expect(attempt!.error).toMatch(/blocked: localhost resolves to .* \(loopback\)/);
    expect(receiver.at(hook.path)).toEqual([]);
  });
});

describe('webhooks for a job that reports progress (stub → progress topic → worker → receiver)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  const receiver = new Receiver();

  beforeAll(async () => {
    // slow enough for the stub to publish "started" and several steps: 768x768, 30 steps ≈ 100 + 100 x 30 x 0.59 ms
    stack = await startTestStack({
      STUB_BASE_INFERENCE_MS: '100',
      STUB_MS_PER_STEP_MEGAPIXEL: '100',
      STUB_PROGRESS_INTERVAL_MS: '250',
    });
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
    await receiver.start();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver.stop();
    await stack?.stop();
  });

  it('delivers running once, progress per step reached and completed, each signed under its own stable id', async () => {
    const token = await tokenFor(stack.env, `watcher-${ulid()}`);
    const auth = { authorization: `Bearer ${token}` };
    const secret = (
      (await request(api.getHttpServer()).get('/v1/webhooks/secret').set(auth).expect(200)).body as {
        secret: string;
      }
    ).secret;
    const hook = receiver.hook();
    const { jobId } = (
      await request(api.getHttpServer())
        .post('/v1/jobs')
        .set(auth)
        .send({
          prompt: 'a lighthouse, step by step',
          width: 768,
          height: 768,
          steps: 30,
          webhookUrl: hook.url,
          webhookEvents: ['running', 'progress', 'completed'],
        })
        .expect(202)
    ).body as { jobId: string };

    const deliveries = await waitFor(
      () => {
        const got = receiver.at(hook.path);
        return got.some((d) => d.webhookId === `${jobId}.completed`) ? got : undefined;
      },
      { timeoutMs: 30_000, description: 'the completed delivery' },
    );
    const events = deliveries.map((d) => ({
      id: d.webhookId,
      payload: new Webhook(secret).verify(d.body, d.headers) as {
        type: string;
        data: { status: string; progress?: { step: number; totalSteps: number } };
      },
    }));
    // not subscribed: no queued event
    expect(events.some((e) => e.payload.type === 'job.queued')).toBe(false);

    const running = events.filter((e) => e.payload.type === 'job.running');
    expect(running).toHaveLength(1);
    expect(running[0]!.id).toMatch(new RegExp(`^${jobId}\\.running\\.\\d+$`));
    expect(running[0]!.payload.data.status).toBe('RUNNING');

    const progress = events.filter((e) => e.payload.type === 'job.progress');
    expect(progress.length).toBeGreaterThan(0);
    for (const event of progress) {
      const { step, totalSteps } = event.payload.data.progress!;
      expect(event.id).toBe(`${jobId}.progress.${step}`);
      expect(totalSteps).toBe(30);
      expect(step).toBeGreaterThan(0);
      expect(step).toBeLessThanOrEqual(30);
      expect(event.payload.data.status).toBe('RUNNING');
    }
    // one event per step reached: no step announced twice
    expect(new Set(progress.map((e) => e.id)).size).toBe(progress.length);

    const completed = events.filter((e) => e.payload.type === 'job.completed');
    expect(completed.map((e) => [e.id, e.payload.data.status])).toEqual([[`${jobId}.completed`, 'SUCCEEDED']]);
    console.log(`webhooks for one progress job: running 1, progress ${progress.length}, completed 1`);
  });
});
