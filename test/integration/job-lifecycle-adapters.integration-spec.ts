import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import {
  CancelMarkers,
  createDynamoDbDocumentClient,
  createS3Client,
  DeletedJobs,
  JobRepository,
  ObjectStore,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig, type ResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('cancel markers, object deletion and job tombstones (fauxqs S3, dynalite)', () => {
  let stack: TestStack;
  let resources: ResourcesConfig;
  let objects: ObjectStore;
  let markers: CancelMarkers;
  let jobs: JobRepository;
  let deleted: DeletedJobs;

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    resources = loadResourcesConfig(stack.env);
    objects = new ObjectStore(createS3Client(aws));
    markers = new CancelMarkers(objects, resources.requestsBucket);
    const documents = createDynamoDbDocumentClient(aws);
    jobs = new JobRepository(documents, resources.jobsTable);
    deleted = new DeletedJobs(documents, resources.jobsTable);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('places a cancel marker at cancel/<inferenceId> in the requests bucket, where the stub looks for it', async () => {
    const inferenceId = ulid();
    await expect(markers.isPlaced(inferenceId)).resolves.toBe(false);
    await markers.place(inferenceId, '2026-11-27T10:00:00.000Z');
    await markers.place(inferenceId, '2026-11-27T10:00:01.000Z');
    await expect(markers.isPlaced(inferenceId)).resolves.toBe(true);
    expect(await objects.listKeys(resources.requestsBucket, 'cancel/')).toContain(`cancel/${inferenceId}`);
    expect(stack.env.STUB_CANCEL_S3_URI).toBe(`s3://${resources.requestsBucket}/cancel/`);
  });

  it('deletes objects in several buckets, missing ones included, and lists what is left under a prefix', async () => {
    const prefix = `images/owner/${ulid()}/`;
    const images = [0, 1, 2].map((index) => ({ bucket: resources.imagesBucket, key: `${prefix}${index}.png` }));
    const request = { bucket: resources.requestsBucket, key: `requests/${ulid()}.json` };
    for (const location of [...images, request]) {
      await objects.put(location, Buffer.from('x'), 'application/octet-stream');
    }
    expect((await objects.listKeys(resources.imagesBucket, prefix)).sort()).toEqual(images.map((i) => i.key));

    await objects.deleteMany([images[0]!, images[1]!, request, { bucket: resources.requestsBucket, key: 'missing' }]);

    await expect(objects.listKeys(resources.imagesBucket, prefix)).resolves.toEqual([images[2]!.key]);
    await expect(objects.exists(request)).resolves.toBe(false);
    await expect(objects.exists(images[2]!)).resolves.toBe(true);
  });

  it('buries a final job: it reads as no job, is in no listing, is known as deleted, and is the owner’s last change', async () => {
    const ownerId = `owner-${ulid()}`;
    const job = JobFactory.create({ ownerId, status: JobStatus.Succeeded });
    const other = JobFactory.create({ ownerId, status: JobStatus.Succeeded });
    await jobs.create(job);
    await jobs.create(other);
    await expect(deleted.isDeleted(job.jobId)).resolves.toBe(false);
    const deletedAt = new Date();

    await expect(deleted.bury({ ...job, version: 1 }, deletedAt)).resolves.toBe(true);

    await expect(jobs.get(job.jobId)).resolves.toBeUndefined();
    await expect(jobs.getMany([job.jobId, other.jobId])).resolves.toEqual([{ ...other, version: 1 }]);
    expect((await jobs.listByOwner(ownerId, { limit: 10 })).jobs.map((j) => j.jobId)).toEqual([other.jobId]);
    expect(
      (await jobs.listByOwner(ownerId, { limit: 10, status: JobStatus.Succeeded })).jobs.map((j) => j.jobId),
    ).toEqual([other.jobId]);
    const exported: string[] = [];
    for await (const page of jobs.pagesByOwnerBetween(ownerId, { from: '0', to: 'Z' })) {
      exported.push(...page.map((j) => j.jobId));
    }
    expect(exported).toEqual([other.jobId]);
    // the per-user event stream's index reports the deletion, stamped when it happened, one version on
    const changes = (await jobs.updatedSince(ownerId, new Date(deletedAt.getTime() - 1).toISOString(), 10)).changes;
    expect(changes).toEqual([{ deletion: { jobId: job.jobId, deletedAt: deletedAt.toISOString(), version: 2 } }]);
    await expect(deleted.isDeleted(job.jobId)).resolves.toBe(true);
    // a second burial finds no final job to replace
    await expect(deleted.bury({ ...job, version: 1 }, new Date())).resolves.toBe(false);
  });

  it('never buries an active job (it must be canceled first) or a job that never existed', async () => {
    const job = JobFactory.create({ status: JobStatus.Queued });
    await jobs.create(job);
    await expect(deleted.bury(job, new Date())).resolves.toBe(false);
    await expect(jobs.get(job.jobId)).resolves.toEqual({ ...job, version: 1 });
    const missing = ulid();
    await expect(deleted.bury({ jobId: missing, ownerId: job.ownerId }, new Date())).resolves.toBe(false);
    await expect(deleted.isDeleted(missing)).resolves.toBe(false);
  });
});
