import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { ulid } from 'ulid';
import { waitFor } from '#libs/testing';
import { tokenFor } from '../support/platform.js';
import { FaultStack, HOOK_TIMEOUT_MS } from './support/fault-stack.js';

interface Delivery {
  headers: Record<string, string>;
  body: string;
  answered?: number;
}

describe('fault: the worker is SIGKILLed while a webhook delivery is in its hands', () => {
  let stack: FaultStack;
  let api: NestFastifyApplication;
  let receiver: http.Server;
  let port: number;
  const deliveries: Delivery[] = [];
  /** The first request is held open (the worker is killed while waiting for it); later ones get 200. */
  const held: http.ServerResponse[] = [];

  beforeAll(async () => {
    stack = await FaultStack.start({
      // what the killed worker held comes back to the next one within seconds (60 s by default)
      overrides: { WORKER_VISIBILITY_TIMEOUT_SECONDS: '3' },
    });
    await stack.inProcessStub();
    api = await stack.api();
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const delivery: Delivery = { headers, body: Buffer.concat(chunks).toString('utf8') };
        deliveries.push(delivery);
        if (deliveries.length === 1) {
          held.push(res);
          return;
        }
        delivery.answered = 200;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    for (const res of held) {
      res.destroy();
    }
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    await FaultStack.stopAll();
  }, HOOK_TIMEOUT_MS);

  it('a new worker delivers the same event (same webhook-id and body, verified), and the log shows it delivered', async () => {
    const token = await tokenFor(stack.env, `hook-crash-${ulid()}`);
    const auth = { authorization: `Bearer ${token}` };
    const http$ = () => request(api.getHttpServer());
    const secret = ((await http$().get('/v1/webhooks/secret').set(auth).expect(200)).body as { secret: string }).secret;
    const first = await stack.workerProcess();
    const { jobId } = (
      await http$()
        .post('/v1/jobs')
        .set(auth)
        .send({ prompt: 'a lighthouse', webhookUrl: `http://127.0.0.1:${port}/hook` })
        .expect(202)
    ).body as { jobId: string };

    // the worker is inside the attempt: connected, request sent, waiting for the answer
    await waitFor(() => deliveries[0], { timeoutMs: 30_000, description: 'the first (held) delivery' });
    await first.kill();
    const killedAt = Date.now();

    await stack.workerProcess();
    const delivered = await waitFor(() => deliveries.find((d) => d.answered === 200), {
      timeoutMs: 30_000,
      description: 'the delivery by the new worker',
    });
    const recoveredMs = Date.now() - killedAt;
    const wh = new Webhook(secret);
    for (const delivery of [deliveries[0]!, delivered]) {
      expect(delivery.headers['webhook-id']).toBe(`${jobId}.completed`);
      expect(wh.verify(delivery.body, delivery.headers)).toMatchObject({
        type: 'job.completed',
        data: { jobId, status: 'SUCCEEDED' },
      });
    }
    expect(delivered.body).toBe(deliveries[0]!.body);

    // the killed worker logged nothing (it died inside the attempt); the new one logged its delivery
    const attempts = await waitFor(
      async () => {
        const page = (await http$().get(`/v1/jobs/${jobId}/deliveries`).set(auth).expect(200)).body as {
          items: Array<{ deliveryId: string; attempt: number; outcome: string; statusCode: number | null }>;
        };
        return page.items.some((a) => a.outcome === 'delivered') ? page.items : undefined;
      },
      { timeoutMs: 20_000, description: 'the delivery logged' },
    );
    expect(attempts.map((a) => [a.deliveryId, a.outcome, a.statusCode])).toEqual([
      [`${jobId}.completed`, 'delivered', 200],
    ]);
    console.log(
      `webhook worker SIGKILL mid-delivery: delivered by the next worker ${recoveredMs} ms after the kill, ` +
        `${deliveries.length} requests received, 0 lost`,
    );
  });
});
