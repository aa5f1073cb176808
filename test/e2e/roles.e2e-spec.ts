import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { monotonicFactory, ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { startApi, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface Caller {
  token: string;
  id: string;
}

interface PageBody {
  items: Array<{ jobId: string; status: string }>;
  nextCursor: string | null;
}

/** The admin group (`cognito:groups: ["admin"]`, minted by the dev IdP) against ordinary users, over HTTP. */
describe('roles', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let ada: Caller;
  let bob: Caller;
  let carol: Caller;
  /** Bob's jobs, newest first. */
  let bobsJobs: Job[];
  let adasJob: Job;
  const nextId = monotonicFactory();

  async function caller(name: string, admin = false): Promise<Caller> {
    const token = await tokenFor(stack.env, `${name}-${ulid()}`, { admin });
    return { token, id: decodeJwt(token).sub! };
  }

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    const repository = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
    );
    [ada, bob, carol] = await Promise.all([caller('ada', true), caller('bob'), caller('carol')]);
    const created: Job[] = [];
    for (const status of [JobStatus.Succeeded, JobStatus.Failed, JobStatus.Succeeded]) {
      const job = JobFactory.create({ ownerId: bob.id, jobId: nextId(), status });
      await repository.create(job);
      created.push(job);
    }
    bobsJobs = created.reverse();
    adasJob = JobFactory.create({ ownerId: ada.id, jobId: nextId(), status: JobStatus.Succeeded });
    await repository.create(adasJob);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  const get = (caller: Caller, path: string) =>
    request(api.getHttpServer()).get(path).set('authorization', `Bearer ${caller.token}`);

  describe('GET /v1/jobs?owner=', () => {
    it('lists any user’s jobs for an administrator, paging with cursors bound to that owner', async () => {
      const first = await get(ada, `/v1/jobs?owner=${bob.id}&limit=2`).expect(200);
      const firstPage = first.body as PageBody;
      expect(firstPage.items.map((item) => item.jobId)).toEqual(bobsJobs.slice(0, 2).map((job) => job.jobId));
      const cursor = encodeURIComponent(firstPage.nextCursor!);

      const second = await get(ada, `/v1/jobs?owner=${bob.id}&limit=2&cursor=${cursor}`).expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ jobId: bobsJobs[2]!.jobId })],
        nextCursor: null,
      });

      // the cursor continues bob's listing only: not the administrator's own, not another owner's
      for (const path of [`/v1/jobs?limit=2&cursor=${cursor}`, `/v1/jobs?owner=${carol.id}&limit=2&cursor=${cursor}`]) {
        const refused = await get(ada, path).expect(400);
        expect(refused.body).toMatchObject({ errors: [{ field: 'cursor' }] });
      }
    });

    it('filters another user’s jobs by status for an administrator', async () => {
      const response = await get(ada, `/v1/jobs?owner=${bob.id}&status=FAILED`).expect(200);
      expect((response.body as PageBody).items.map((item) => item.jobId)).toEqual([bobsJobs[1]!.jobId]);
    });

    it('lists the administrator’s own jobs when owner is left out', async () => {
      const response = await get(ada, '/v1/jobs').expect(200);
      expect((response.body as PageBody).items.map((item) => item.jobId)).toEqual([adasJob.jobId]);
    });

    it.each([
      ['another user', () => bob.id],
      ['themself', () => carol.id],
    ])('answers 403 problem+json naming owner when an ordinary user names %s', async (_label, owner) => {
      const response = await get(carol, `/v1/jobs?owner=${owner()}`).expect(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toEqual({
        type: '/problems/forbidden',
        title: 'Forbidden',
        status: 403,
        detail: 'Only administrators may list other users’ jobs',
        instance: `/v1/jobs?owner=${owner()}`,
        errors: [{ field: 'owner', message: 'owner is for administrators only; leave it out to list your own jobs' }],
      });
    });

    it.each([
      ['empty', 'owner='],
      ['with a space', 'owner=a%20b'],
      ['with a control character', 'owner=a%00b'],
      ['over 255 characters', `owner=${'a'.repeat(256)}`],
      ['given twice', 'owner=a&owner=b'],
    ])('answers 400 naming owner for an owner %s, even for an administrator', async (_label, query) => {
      const response = await get(ada, `/v1/jobs?${query}`).expect(400);
      expect(response.body).toMatchObject({ errors: [{ field: 'owner' }] });
    });
  });

  describe('GET /v1/jobs/{jobId}', () => {
    it('lets an administrator read any user’s job', async () => {
      const response = await get(ada, `/v1/jobs/${bobsJobs[0]!.jobId}`).expect(200);
      expect(response.body).toMatchObject({ jobId: bobsJobs[0]!.jobId, status: bobsJobs[0]!.status });
    });

    it('answers an ordinary user 404 for another user’s job, exactly as for a missing job', async () => {
      const missingId = nextId();
      const others = await get(carol, `/v1/jobs/${bobsJobs[0]!.jobId}`).expect(404);
      const missing = await get(carol, `/v1/jobs/${missingId}`).expect(404);
      const withoutIds = (body: Record<string, unknown>, jobId: string) =>
        JSON.parse(JSON.stringify(body).replaceAll(jobId, '<id>')) as unknown;
      expect(withoutIds(others.body as Record<string, unknown>, bobsJobs[0]!.jobId)).toEqual(
        withoutIds(missing.body as Record<string, unknown>, missingId),
      );
      expect(others.headers['content-type']).toBe(missing.headers['content-type']);
    });

    it('answers an administrator 404 for a missing job', async () => {
      await get(ada, `/v1/jobs/${nextId()}`).expect(404);
    });
  });
});
