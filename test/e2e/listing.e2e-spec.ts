import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { monotonicFactory, ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { DEV_JOBS_CURSOR_SECRET } from '../../apps/api/src/config/api.config.js';
import { JobCursorCodec } from '../../apps/api/src/jobs/job-cursor.js';
import { startApi, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface PageBody {
  items: Array<{ jobId: string; status: string }>;
  nextCursor: string | null;
}

describe('GET /v1/jobs paging', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let repository: JobRepository;
  let lena: { token: string; id: string };
  let max: { token: string; id: string };
  /** Lena's jobs, newest first. */
  let lenasJobs: Job[];
  // ids in creation order even within one millisecond, so "newest first" is well defined
  const nextId = monotonicFactory();

  async function user(name: string): Promise<{ token: string; id: string }> {
    const token = await tokenFor(stack.env, `${name}-${ulid()}`);
    return { token, id: decodeJwt(token).sub! };
  }

  async function createJob(ownerId: string, status: JobStatus): Promise<Job> {
    const job = JobFactory.create({ ownerId, jobId: nextId(), status });
    await repository.create(job);
    return job;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    repository = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
    );
    [lena, max] = await Promise.all([user('lena'), user('max')]);
    const { Succeeded: S, Failed: F, Queued: Q } = JobStatus;
    const created: Job[] = [];
    for (const status of [S, F, S, Q, S, F, S, F]) {
      created.push(await createJob(lena.id, status));
      await createJob(max.id, status);
    }
    lenasJobs = created.reverse();
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  const list = (token: string, query: string) =>
    request(api.getHttpServer()).get(`/v1/jobs?${query}`).set('authorization', `Bearer ${token}`);

  /** Follows nextCursor from the first page to the last. */
  async function pageAll(token: string, query: string): Promise<PageBody[]> {
    const pages: PageBody[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(token, cursor === null ? query : `${query}&cursor=${encodeURIComponent(cursor)}`);
      expect(response.status).toBe(200);
      const page = response.body as PageBody;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 50);
    return pages;
  }

  async function firstCursor(token: string, query: string): Promise<string> {
    const response = await list(token, query).expect(200);
    const { nextCursor } = response.body as PageBody;
    expect(nextCursor).toEqual(expect.any(String));
    return nextCursor!;
  }

  it.each<[string, JobStatus | undefined, string, number[]]>([
    ['all, limit 3', undefined, 'limit=3', [3, 3, 2]],
    ['all, limit 4 (an exact multiple)', undefined, 'limit=4', [4, 4]],
    ['all, limit 8 (exactly one page)', undefined, 'limit=8', [8]],
    ['all, limit 1', undefined, 'limit=1', [1, 1, 1, 1, 1, 1, 1, 1]],
    ['all, the default limit', undefined, '', [8]],
    ['SUCCEEDED, limit 2 (an exact multiple)', JobStatus.Succeeded, 'status=SUCCEEDED&limit=2', [2, 2]],
    ['SUCCEEDED, limit 3', JobStatus.Succeeded, 'limit=3&status=SUCCEEDED', [3, 1]],
    ['FAILED, limit 2', JobStatus.Failed, 'status=FAILED&limit=2', [2, 1]],
    ['FAILED, limit 3 (exactly one page)', JobStatus.Failed, 'status=FAILED&limit=3', [3]],
    ['QUEUED, limit 1', JobStatus.Queued, 'status=QUEUED&limit=1', [1]],
    ['RUNNING (none)', JobStatus.Running, 'status=RUNNING&limit=2', [0]],
  ])('pages through %s to the end, each job once, newest first', async (_label, status, query, sizes) => {
    const pages = await pageAll(lena.token, query);

    expect(pages.map((page) => page.items.length)).toEqual(sizes);
    expect(pages.at(-1)).toHaveProperty('nextCursor', null);
    pages.slice(0, -1).forEach((page) => expect(page.nextCursor).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/));
    const seen = pages.flatMap((page) => page.items.map((item) => item.jobId));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(lenasJobs.filter((job) => !status || job.status === status).map((job) => job.jobId));
    pages.flatMap((page) => page.items).forEach((item) => status && expect(item.status).toBe(status));
  });

  it('hands out cursors that do not show the user', async () => {
    const cursors = [await firstCursor(lena.token, 'limit=1'), await firstCursor(lena.token, 'status=FAILED&limit=1')];
    for (const cursor of cursors) {
      const texts = [cursor, ...cursor.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1'))];
      texts.forEach((text) => expect(text).not.toContain(lena.id));
    }
  });

  describe('refuses with a 400 naming cursor', () => {
    const flipAt = (text: string, index: number) =>
      `${text.slice(0, index)}${text[index] === 'A' ? 'B' : 'A'}${text.slice(index + 1)}`;

    it.each<[string, () => Promise<{ cursor: string; query?: string }>]>([
      ['garbage', async () => ({ cursor: 'not-a-cursor' })],
      ['an empty cursor', async () => ({ cursor: '' })],
      [
        'a cursor of the first version that decodes to the wrong shape (was a 500)',
        async () => ({ cursor: Buffer.from(JSON.stringify({ ownerId: lena.id })).toString('base64url') }),
      ],
      [
        'a cursor of the first version that names another user',
        async () => ({ cursor: Buffer.from(JSON.stringify({ ownerId: max.id, jobId: ulid() })).toString('base64url') }),
      ],
      ['another user’s cursor', async () => ({ cursor: await firstCursor(max.token, 'limit=2') })],
      [
        'another user’s cursor of the same filter',
        async () => ({
          cursor: await firstCursor(max.token, 'status=SUCCEEDED&limit=1'),
          query: 'status=SUCCEEDED&limit=1',
        }),
      ],
      [
        'a status listing’s cursor without the status',
        async () => ({ cursor: await firstCursor(lena.token, 'status=SUCCEEDED&limit=1'), query: 'limit=1' }),
      ],
      [
        'a status listing’s cursor with another status',
        async () => ({
          cursor: await firstCursor(lena.token, 'status=SUCCEEDED&limit=1'),
          query: 'status=FAILED&limit=1',
        }),
      ],
      [
        'an unfiltered listing’s cursor with a status',
        async () => ({ cursor: await firstCursor(lena.token, 'limit=1'), query: 'status=SUCCEEDED&limit=1' }),
      ],
      ['a truncated cursor', async () => ({ cursor: (await firstCursor(lena.token, 'limit=2')).slice(0, -1) })],
      [
        'a cursor with one character changed',
        async () => {
          const cursor = await firstCursor(lena.token, 'limit=2');
          return { cursor: flipAt(cursor, cursor.length - 10) };
        },
      ],
      [
        'a cursor with another job id in it',
        async () => {
          const [version, , mac] = (await firstCursor(lena.token, 'limit=2')).split('.');
          return { cursor: `${version}.${Buffer.from(lenasJobs[5]!.jobId).toString('base64url')}.${mac}` };
        },
      ],
      [
        'a cursor of another version',
        async () => ({ cursor: (await firstCursor(lena.token, 'limit=2')).replace(/^v1\./, 'v2.') }),
      ],
      [
        'a cursor signed with another key',
        async () => ({
          cursor: new JobCursorCodec('another-key-of-thirty-two-chars!').encode({ ownerId: lena.id }, ulid()),
        }),
      ],
      [
        'a correctly signed cursor that does not hold a job id',
        async () => ({
          cursor: new JobCursorCodec(DEV_JOBS_CURSOR_SECRET).encode({ ownerId: lena.id }, 'not-a-job-id'),
        }),
      ],
    ])('for %s', async (_label, make) => {
      const { cursor, query = 'limit=2' } = await make();

      const response = await list(lena.token, `${query}&cursor=${encodeURIComponent(cursor)}`);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 400,
        type: '/problems/validation-error',
        errors: [
          {
            field: 'cursor',
            message: 'must be the nextCursor of an earlier page of this listing (same user, same status filter)',
          },
        ],
      });
    });
  });
});
