import { createDynamoDbDocumentClient, createS3Client, JobRepository, ObjectStore, UsageLedger } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { billingMonthOf, isFinalStatus, type Job, JobStatus } from '#libs/contracts';
import { InFlightRepository } from '#libs/quotas';
import type { FaultStack } from './fault-stack.js';

/** What a fault test prints and asserts: every figure but `finalized` must be 0, and `finalized` = `submitted`. */
export interface FaultFigures {
  submitted: number;
  /** Jobs in a final state now. */
  finalized: number;
  /** Jobs the tap saw finalized more than once (or moved back out of a final state). */
  finalizedTwice: number;
  /** Jobs not final (or gone). */
  lost: number;
  /** Images of SUCCEEDED jobs that are not in the images bucket. */
  imagesMissing: number;
}

/** What the final-state listeners left: each job settled exactly once, nothing held, no slot taken. */
export interface Bookkeeping {
  /** Settlements booked in the owner's usage (one per final job; a second finds no hold). */
  settled: number;
  /** Budget holds still open. */
  holds: number;
  /** Jobs still counted in flight against the owner's limit. */
  slots: number;
}

/** Reads jobs, images and the ledger straight from the emulators (the tap forwards reads untouched). */
export class FaultInspector {
  private readonly jobs: JobRepository;
  private readonly objects: ObjectStore;
  private readonly ledger: UsageLedger;
  private readonly inFlight: InFlightRepository;
  private readonly imagesBucket: string;

  constructor(private readonly stack: FaultStack) {
    const aws = loadAwsConfig(stack.env);
    const resources = loadResourcesConfig(stack.env);
    const documents = createDynamoDbDocumentClient(aws);
    this.jobs = new JobRepository(documents, resources.jobsTable);
    this.objects = new ObjectStore(createS3Client(aws));
    this.ledger = new UsageLedger(documents, resources.accountsTable);
    this.inFlight = new InFlightRepository(documents, resources.accountsTable);
    this.imagesBucket = resources.imagesBucket;
  }

  /** The jobs as stored now, in the order asked (missing ones left out). */
  async read(jobIds: readonly string[]): Promise<Job[]> {
    return this.jobs.getMany(jobIds);
  }

  /**
   * Waits until every job is final, or `timeoutMs` at most; returns the jobs as they are then (the figures count
   * any that are not final as lost).
   */
  async untilAllFinal(jobIds: readonly string[], timeoutMs: number): Promise<Job[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await this.read(jobIds);
      if (jobs.length === jobIds.length && jobs.every((job) => isFinalStatus(job.status))) {
        return jobs;
      }
      if (Date.now() > deadline) {
        return jobs;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async figures(jobIds: readonly string[]): Promise<FaultFigures> {
    const jobs = await this.read(jobIds);
    const finalized = jobs.filter((job) => isFinalStatus(job.status));
    const regressed = new Set(this.stack.tap.regressions);
    const twice = new Set([...this.stack.tap.finalizedTwice(jobIds), ...jobIds.filter((id) => regressed.has(id))]);
    let imagesMissing = 0;
    for (const job of finalized.filter((candidate) => candidate.status === JobStatus.Succeeded)) {
      for (const image of job.images) {
        if (!(await this.objects.exists({ bucket: this.imagesBucket, key: image.key }))) {
          imagesMissing += 1;
        }
      }
    }
    return {
      submitted: jobIds.length,
      finalized: finalized.length,
      finalizedTwice: twice.size,
      lost: jobIds.length - finalized.length,
      imagesMissing,
    };
  }

  /**
   * The owner's bookkeeping once every job is settled and released, or as it stands after `timeoutMs`. A worker
   * killed between a job's final write and its report leaves the message to a later delivery, which reports the job
   * again (after the visibility timeout): settling is eventual, never skipped.
   */
  async settledBookkeeping(ownerId: string, jobs: readonly Job[], timeoutMs = 20_000): Promise<Bookkeeping> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await this.bookkeeping(ownerId, jobs);
      if ((now.settled === jobs.length && now.holds === 0 && now.slots === 0) || Date.now() > deadline) {
        return now;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The owner's settlements, open holds and slots in flight, over the months its jobs were created in. */
  async bookkeeping(ownerId: string, jobs: readonly Job[]): Promise<Bookkeeping> {
    let settled = 0;
    let holds = 0;
    for (const month of new Set(jobs.map((job) => billingMonthOf(job.createdAt)))) {
      const usage = await this.ledger.get({ month, scope: { kind: 'user', ownerId } });
      settled += Object.values(usage.jobs).reduce((sum, count) => sum + count, 0);
      holds += usage.inFlight;
    }
    return { settled, holds, slots: (await this.inFlight.members(ownerId)).length };
  }
}

/** The one line each scenario prints. */
export function summaryLine(scenario: string, figures: FaultFigures): string {
  return (
    `${scenario}: submitted ${figures.submitted}, finalized ${figures.finalized}, ` +
    `finalized twice ${figures.finalizedTwice}, lost ${figures.lost}, images missing ${figures.imagesMissing}`
  );
}
