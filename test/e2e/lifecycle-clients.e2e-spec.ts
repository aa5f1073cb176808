import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import { monotonicFactory, ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { modelStarted } from '../support/model-started.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { type EventStreamConnection, openEventStream } from '../support/sse-client.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  version?: number;
  progress: { phase: string };
  links: Record<string, string>;
}

interface Problem {
  type: string;
  status: number;
  errors?: Array<{ field: string; message: string }>;
}

/** 30 steps of about 315 ms: an SDXL 1024x1024 job renders for about 9.4 s unless it is canceled. */
const SLOW_STUB = { STUB_MS_PER_STEP_MEGAPIXEL: '300', STUB_CANCEL_CHECK_INTERVAL_MS: '50' };
const SLOW_JOB = { prompt: 'a slow cathedral, followed link by link' };

/**
 * What a careless client does with the lifecycle routes: follows every link it is given, cancels and deletes twice
 * (at once), acts on a job it deleted, sends Last-Event-IDs it made up, and pages through jobs it canceled and
 * deleted. Every answer is one the contract describes (checked against openapi.json), never a 5xx.
 */
describe('job lifecycle routes as careless clients use them', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let url: string;
  let jobs: JobRepository;

  beforeAll(async () => {
    stack = await startTestStack(SLOW_STUB);
    api = await startApi(stack.env, { EVENTS_POLL_MS: '100', EVENTS_HEARTBEAT_MS: '1000' });
    await api.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    worker = await startWorker(stack.env);
    const aws = loadAwsConfig(stack.env);
    jobs = new JobRepository(createDynamoDbDocumentClient(aws), loadResourcesConfig(stack.env).jobsTable);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  const user = async (name: string) => {
    const token = await tokenFor(stack.env, `${name}-${ulid()}`);
    return { token, id: decodeJwt(token).sub! };
  };

  async function call(
    token: string,
    method: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; type: string; body: unknown }> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }

  async function submitRunning(token: string): Promise<JobBody> {
    const started = modelStarted();
    const accepted = await call(token, 'POST', '/v1/jobs', SLOW_JOB);
    expect(accepted.status).toBe(202);
    await started;
    return accepted.body as JobBody;
  }

  it('follows every link of an active job (self, events, cancel), then deletes it through self', async () => {
    const { token } = await user('linda');
    const accepted = await submitRunning(token);
    const { jobId } = accepted;
    expect(accepted.links).toEqual({
      self: `/v1/jobs/${jobId}`,
      cancel: `/v1/jobs/${jobId}/cancel`,
      events: `/v1/jobs/${jobId}/events`,
    });

    const self = await call(token, 'GET', accepted.links.self!);
    expect(self.status).toBe(200);
    expect((self.body as JobBody).links).toEqual(accepted.links);
    const stream = await openEventStream(`${url}${accepted.links.events}`, token);
    expect(stream.status).toBe(200);
    await stream.until((events) => events.length > 0, 5000, 'the job on connect');

    const canceled = await call(token, 'POST', accepted.links.cancel!);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ jobId, status: 'CANCELED', links: { self: `/v1/jobs/${jobId}` } });
    // a final job links only to itself: nothing left to cancel or stream
    expect((canceled.body as JobBody).links).toEqual({ self: `/v1/jobs/${jobId}` });
    // the stream sends the cancel and ends
    await stream.ended;
    const last = JSON.parse(stream.events.at(-1)!.data) as JobBody;
    expect([last.status, last.progress.phase]).toEqual(['CANCELED', 'done']);

    expect((await call(token, 'DELETE', accepted.links.self!)).status).toBe(204);
    expect((await call(token, 'GET', accepted.links.self!)).status).toBe(404);
  });

  it('cancels twice at once (both 200, one cancel booked), deletes twice at once, then 404 for all that is gone', async () => {
    const { token } = await user('carl');
    const { jobId } = await submitRunning(token);

    const cancels = await Promise.all([1, 2].map(() => call(token, 'POST', `/v1/jobs/${jobId}/cancel`)));
    expect(cancels.map((answer) => answer.status)).toEqual([200, 200]);
    // both answer the one CANCELED job: the same write, the same version
    expect(cancels[1]!.body).toEqual(cancels[0]!.body);
    expect((cancels[0]!.body as JobBody).status).toBe('CANCELED');
    const usage = await call(token, 'GET', '/v1/usage');
    expect(usage.body).toMatchObject({ jobs: { total: 1, inFlight: 0, byStatus: { CANCELED: 1 } } });

    const deletes = await Promise.all([1, 2].map(() => call(token, 'DELETE', `/v1/jobs/${jobId}`)));
    // DELETE is idempotent: the second is a 204 too, or a 404 when the first had already buried the job
    expect(deletes.map((answer) => answer.status)).toContain(204);
    expect(deletes.every((answer) => answer.status === 204 || answer.status === 404)).toBe(true);

    for (const [method, path] of [
      ['GET', `/v1/jobs/${jobId}`],
      ['POST', `/v1/jobs/${jobId}/cancel`],
      ['DELETE', `/v1/jobs/${jobId}`],
      ['GET', `/v1/jobs/${jobId}/events`],
    ] as const) {
      const answer = await call(token, method, path);
      expect({ method, path, status: answer.status, type: answer.type }).toEqual({
        method,
        path,
        status: 404,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
    // its usage stays booked, once
    expect((await call(token, 'GET', '/v1/usage')).body).toEqual(usage.body);
  });

  it('ends a job’s open stream when the job is deleted', async () => {
    const { token } = await user('dora');
    const { jobId } = await submitRunning(token);
    const stream = await openEventStream(`${url}/v1/jobs/${jobId}/events`, token);
    expect(stream.status).toBe(200);
    await stream.until((events) => events.length > 0, 5000, 'the job on connect');

    expect((await call(token, 'DELETE', `/v1/jobs/${jobId}`)).status).toBe(204);

    await stream.ended;
    // the delete canceled the job first: its stream may show that, never anything after it
    const statuses = stream.events.map((event) => (JSON.parse(event.data) as JobBody).status);
    expect(statuses.filter((status) => status !== 'QUEUED' && status !== 'RUNNING')).toEqual(
      statuses.at(-1) === 'CANCELED' ? ['CANCELED'] : [],
    );
  });

  it('refuses Last-Event-IDs that no event of the stream had with a 400 naming the header', async () => {
    const { token, id } = await user('gary');
    // stays QUEUED at version 1: nothing picks it up
    const queued = JobFactory.create({ ownerId: id, status: JobStatus.Queued });
    await jobs.create(queued);
    const version = (await jobs.get(queued.jobId))!.version ?? 1;
    const jobStream = `${url}/v1/jobs/${queued.jobId}/events`;
    const garbage = ['', ' ', '-1', '1.5', '1e3', '0x10', '9'.repeat(13), 'abc', '1,2', String(version + 1), '1000000'];
    for (const lastEventId of garbage) {
      const stream = await openEventStream(jobStream, token, { lastEventId });
      refuseOrClose(stream);
      expect({ lastEventId, status: stream.status }).toEqual({ lastEventId, status: 400 });
      const body = await stream.text();
      expect((JSON.parse(body) as Problem).errors?.map((error) => error.field)).toEqual(['Last-Event-ID']);
    }
    // the versions it had resume as promised: after 0, the job now; after its current version, nothing yet
    for (const [lastEventId, sent] of [
      ['0', 1],
      [String(version), 0],
    ] as const) {
      const stream = await openEventStream(jobStream, token, { lastEventId });
      expect(stream.status).toBe(200);
      if (sent > 0) {
        await stream.until((events) => events.length === sent, 5000, 'the job');
      } else {
        await waitForComment(stream.comments);
      }
      expect(stream.events.map((event) => event.id)).toEqual(sent > 0 ? [String(version)] : []);
      stream.close();
    }

    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    for (const lastEventId of [
      '',
      '42',
      'x|y|z',
      `2026-13-45T99:99:99Z|${queued.jobId}|1`,
      `${new Date().toISOString()}|${queued.jobId}|-1`,
      // a change in the future: resuming there would skip every change until then
      `${inAnHour}|${queued.jobId}|1`,
    ]) {
      const stream = await openEventStream(`${url}/v1/jobs/events`, token, { lastEventId });
      refuseOrClose(stream);
      expect({ lastEventId, status: stream.status }).toEqual({ lastEventId, status: 400 });
      const body = await stream.text();
      expect((JSON.parse(body) as Problem).errors?.map((error) => error.field)).toEqual(['Last-Event-ID']);
    }
  });

  it('pages through GET /v1/jobs without the deleted jobs, canceled ones with their state, no job twice', async () => {
    const { token, id } = await user('paula');
    const nextId = monotonicFactory();
    const created = [];
    for (let index = 0; index < 7; index += 1) {
      const job = JobFactory.create({
        ownerId: id,
        jobId: nextId(),
        status: index % 2 === 0 ? JobStatus.Queued : JobStatus.Succeeded,
      });
      await jobs.create(job);
      created.push(job.jobId);
    }
    const [toCancel, toDelete, alsoDeleted] = [created[0]!, created[3]!, created[4]!];
    expect((await call(token, 'POST', `/v1/jobs/${toCancel}/cancel`)).status).toBe(200);
    for (const jobId of [toDelete, alsoDeleted]) {
      expect((await call(token, 'DELETE', `/v1/jobs/${jobId}`)).status).toBe(204);
    }

    const seen: JobBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const page = await call(token, 'GET', `/v1/jobs?${query}`);
      expect(page.status).toBe(200);
      const body = page.body as { items: JobBody[]; nextCursor: string | null };
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    const expected = created.filter((jobId) => jobId !== toDelete && jobId !== alsoDeleted).reverse();
    expect(seen.map((job) => job.jobId)).toEqual(expected);
    expect(seen.find((job) => job.jobId === toCancel)).toMatchObject({
      status: 'CANCELED',
      links: { self: `/v1/jobs/${toCancel}` },
    });
    // the queued ones still link to their stream and their cancel
    for (const job of seen.filter((candidate) => candidate.status === 'QUEUED')) {
      expect(Object.keys(job.links).sort()).toEqual(['cancel', 'events', 'self']);
    }
  });
});

/** A stream that was not refused is closed at once, so the assertion on its status fails instead of hanging. */
function refuseOrClose(stream: EventStreamConnection): void {
  if (stream.status === 200) {
    stream.close();
  }
}

async function waitForComment(comments: string[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (comments.length === 0) {
    if (Date.now() > deadline) {
      throw new Error('no heartbeat within 5 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
