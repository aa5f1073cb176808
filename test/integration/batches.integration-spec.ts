import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { monotonicFactory, ulid } from 'ulid';
import {
  BatchRepository,
  createDynamoDbDocumentClient,
  JobRepository,
  type UsageItemKey,
  UsageLedger,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { InFlightRepository } from '#libs/quotas';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** What a batch writes and reads besides the jobs path: its item, BatchGet of its jobs, and whole-batch holds. */
describe('batch storage (dynalite)', () => {
  let stack: TestStack;
  let batches: BatchRepository;
  let jobs: JobRepository;
  let ledger: UsageLedger;
  let inFlight: InFlightRepository;

  beforeAll(async () => {
    stack = await startTestStack();
    const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const resources = loadResourcesConfig(stack.env);
    batches = new BatchRepository(client, resources.accountsTable);
    jobs = new JobRepository(client, resources.jobsTable);
    ledger = new UsageLedger(client, resources.accountsTable);
    inFlight = new InFlightRepository(client, resources.accountsTable);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const nextId = monotonicFactory();
  const idsOf = (count: number): string[] => Array.from({ length: count }, () => nextId());
  const holdsOf = (jobIds: string[], micros = 100) => jobIds.map((jobId) => ({ jobId, micros }));

  describe(BatchRepository.name, () => {
    it('stores a batch, reads it by id alone, takes its own write again, and refuses another batch with its id', async () => {
      const batch = {
        batchId: ulid(),
        ownerId: `u-${ulid()}`,
        createdAt: new Date().toISOString(),
        jobIds: idsOf(100),
      };

      await batches.create(batch);

      await expect(batches.get(batch.batchId)).resolves.toEqual(batch);
      await expect(batches.get(ulid())).resolves.toBeUndefined();
      // the SDK retrying a write that was applied: the batch is there, as written
      await expect(batches.create(batch)).resolves.toBeUndefined();
      await expect(batches.create({ ...batch, jobIds: idsOf(1) })).rejects.toThrow(/already exists/);
      await expect(batches.listByOwner(batch.ownerId, { limit: 10 })).resolves.toMatchObject({
        batches: [{ batchId: batch.batchId, jobCount: 100 }],
      });
    });

    it('lists an owner’s batches newest first, a page at a time, and nobody else’s', async () => {
      const ownerId = `u-${ulid()}`;
      const ids = idsOf(5);
      for (const batchId of ids) {
        await batches.create({ batchId, ownerId, createdAt: new Date().toISOString(), jobIds: idsOf(2) });
      }
      await batches.create({ batchId: nextId(), ownerId: `u-${ulid()}`, createdAt: 'x', jobIds: [] });

      const first = await batches.listByOwner(ownerId, { limit: 2 });
      const second = await batches.listByOwner(ownerId, { limit: 2, after: first.batches.at(-1)!.batchId });
      const last = await batches.listByOwner(ownerId, { limit: 2, after: second.batches.at(-1)!.batchId });

      expect(first).toEqual({
        batches: [ids[4], ids[3]].map((batchId) => ({ batchId, createdAt: expect.any(String), jobCount: 2 })),
        hasMore: true,
      });
      expect(second.batches.map((batch) => batch.batchId)).toEqual([ids[2], ids[1]]);
      expect(last).toEqual({ batches: [expect.objectContaining({ batchId: ids[0] })], hasMore: false });
    });
  });

  describe('JobRepository.getMany (BatchGetItem)', () => {
    it('reads more than one BatchGet’s worth of jobs, in the order asked, leaving out ids with no job', async () => {
      const ownerId = `u-${ulid()}`;
      const stored = idsOf(130).map((jobId, index) =>
        JobFactory.create({ jobId, ownerId, status: index % 2 ? JobStatus.Succeeded : JobStatus.Queued }),
      );
      await Promise.all(stored.map((job) => jobs.create(job)));
      const asked = [...stored.map((job) => job.jobId)].reverse();
      asked.splice(7, 0, ulid());

      const found = await jobs.getMany(asked);

      expect(found.map((job) => job.jobId)).toEqual([...stored.map((job) => job.jobId)].reverse());
      expect(found.at(-1)).toEqual({ ...stored[0], version: 1 });
      await expect(jobs.getMany([])).resolves.toEqual([]);
    });
  });

  describe('UsageLedger.reserveMany / releaseMany', () => {
    const userKey = (): UsageItemKey => ({ month: '2026-11', scope: { kind: 'user', ownerId: `u-${ulid()}` } });

    it('holds a batch of 100 in one write, one hold per job, and gives them back in one', async () => {
      const key = userKey();
      const jobIds = idsOf(100);

      await expect(ledger.reserveMany(key, holdsOf(jobIds), 10_000)).resolves.toBe(true);
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 10_000, inFlight: 100 });

      await expect(ledger.releaseMany(key, holdsOf(jobIds.slice(0, 40)))).resolves.toBe(true);
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 6_000, inFlight: 60 });
      // a hold already given back: the whole release is refused, nothing changes
      await expect(ledger.releaseMany(key, holdsOf(jobIds.slice(39, 41)))).resolves.toBe(false);
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 6_000, inFlight: 60 });
    });

    it('refuses a batch whose total does not fit what is left, holding none of it', async () => {
      const key = userKey();
      await ledger.reserve(key, 'earlier', 650, 1_000);

      await expect(ledger.reserveMany(key, holdsOf(idsOf(4)), 1_000)).resolves.toBe(false);
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 650, inFlight: 1 });
      await expect(ledger.reserveMany(key, holdsOf(idsOf(3)), 1_000)).resolves.toBe(true);
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 950, inFlight: 4 });
    });

    it('lets parallel batches commit no more than the budget', async () => {
      const key = userKey();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => ledger.reserveMany(key, holdsOf(idsOf(10)), 3_000)),
      );

      expect(results.filter(Boolean)).toHaveLength(3);
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 3_000, inFlight: 30 });
    });

    it('settles each job of a batch on its own', async () => {
      const key = userKey();
      const jobIds = idsOf(3);
      await ledger.reserveMany(key, holdsOf(jobIds, 500));

      await expect(
        ledger.settle(key, jobIds[1]!, { status: JobStatus.Succeeded, actual: { gpuMs: 10, costMicros: 200 } }),
      ).resolves.toBe('settled');
      await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 1_200, inFlight: 2, costMicros: 200 });
    });
  });

  describe('InFlightRepository.addMany', () => {
    it('adds a batch only while the set has room for all of it', async () => {
      const ownerId = `u-${ulid()}`;
      await expect(inFlight.addMany(ownerId, idsOf(3), 5)).resolves.toEqual({ added: true, count: 3 });
      await expect(inFlight.addMany(ownerId, idsOf(3), 5)).resolves.toMatchObject({ added: false });
      await expect(inFlight.addMany(ownerId, idsOf(6), 5)).resolves.toMatchObject({ added: false });
      await expect(inFlight.members(ownerId)).resolves.toHaveLength(3);
      await expect(inFlight.addMany(ownerId, idsOf(2), 5)).resolves.toEqual({ added: true, count: 5 });
    });

    it('lets parallel batches take no more than the limit', async () => {
      const ownerId = `u-${ulid()}`;
      const results = await Promise.all(Array.from({ length: 5 }, () => inFlight.addMany(ownerId, idsOf(4), 10)));

      expect(results.filter((result) => result.added)).toHaveLength(2);
      await expect(inFlight.members(ownerId)).resolves.toHaveLength(8);
    });
  });
});
