import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { monotonicFactory, ulid } from 'ulid';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { InFlightRepository, InFlightReservations } from '#libs/quotas';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('InFlightReservations (dynalite)', () => {
  let stack: TestStack;
  let store: InFlightRepository;
  let jobs: JobRepository;
  let reservations: InFlightReservations;
  let itemOf: (ownerId: string) => Promise<Record<string, unknown> | undefined>;

  beforeAll(async () => {
    stack = await startTestStack();
    const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const resources = loadResourcesConfig(stack.env);
    store = new InFlightRepository(client, resources.accountsTable);
    jobs = new JobRepository(client, resources.jobsTable);
    reservations = new InFlightReservations(store, jobs);
    itemOf = async (ownerId) =>
      (
        await client.send(
          new GetCommand({ TableName: resources.accountsTable, Key: { pk: 'inflight', sk: `user#${ownerId}` } }),
        )
      ).Item;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const owner = (): string => `owner-${ulid()}`;
  // ids that sort in the order they are made, as members() lists them (two ulid() calls in one ms need not)
  const ordered = monotonicFactory();

  it('lets exactly the limit through when 20 reservations race', async () => {
    const ownerId = owner();
    const results = await Promise.all(Array.from({ length: 20 }, () => reservations.reserve(ownerId, ulid(), 3)));
    expect(results.filter((r) => r.reserved)).toHaveLength(3);
    expect(
      results
        .filter((r) => r.reserved)
        .map((r) => r.inFlight)
        .sort(),
    ).toEqual([1, 2, 3]);
    await expect(store.members(ownerId)).resolves.toHaveLength(3);
  });

  it('reserves the same job twice as one, even when the set is full', async () => {
    const ownerId = owner();
    const [a, b] = [ordered(), ordered()];
    await reservations.reserve(ownerId, a, 2);
    await reservations.reserve(ownerId, b, 2);
    await expect(reservations.reserve(ownerId, a, 2)).resolves.toEqual({ reserved: true, inFlight: 2 });
    await expect(store.members(ownerId)).resolves.toEqual([a, b]);
  });

  it('releases a job once however often its final state is reported', async () => {
    const ownerId = owner();
    const [a, b, c] = [ordered(), ordered(), ordered()];
    for (const jobId of [a, b, c]) {
      await reservations.reserve(ownerId, jobId, 3);
    }
    const final = JobFactory.create({ jobId: a, ownerId, status: JobStatus.Succeeded });
    await Promise.all([reservations.jobFinal(final), reservations.jobFinal(final)]);
    await reservations.jobFinal(final);
    await expect(store.members(ownerId)).resolves.toEqual([b, c]);
    await expect(reservations.reserve(ownerId, ulid(), 3)).resolves.toMatchObject({ reserved: true });
    await expect(reservations.reserve(ownerId, ulid(), 3)).resolves.toEqual({ reserved: false, inFlight: 3 });
  });

  it('drops reservations whose job is final or long missing when the set is full, and keeps the rest', async () => {
    const ownerId = owner();
    const finished = JobFactory.create({ ownerId, status: JobStatus.Succeeded });
    const running = JobFactory.create({ ownerId, status: JobStatus.Running });
    await jobs.create(finished);
    await jobs.create(running);
    // a crash between reservation and job row, ten minutes ago
    const stranded = ulid(Date.now() - 10 * 60_000);
    // a submission in progress: reserved, its job row not written yet
    const inProgress = ulid();
    for (const jobId of [finished.jobId, running.jobId, stranded, inProgress]) {
      await store.add(ownerId, jobId, 4);
    }

    const next = ulid();
    await expect(reservations.reserve(ownerId, next, 4)).resolves.toEqual({ reserved: true, inFlight: 3 });
    await expect(store.members(ownerId)).resolves.toEqual([running.jobId, inProgress, next].sort());
    // nothing left to drop: refused, and nothing is dropped
    await expect(reservations.reserve(ownerId, ulid(), 3)).resolves.toEqual({ reserved: false, inFlight: 3 });
    await expect(store.members(ownerId)).resolves.toHaveLength(3);
  });

  it('creates nothing when releasing for a user with no jobs in flight', async () => {
    const ownerId = owner();
    await reservations.release(ownerId, ulid());
    await expect(itemOf(ownerId)).resolves.toBeUndefined();
  });
});
