import { decodeTime } from 'ulid';
import type { JobRepository } from '#libs/aws';
import { isFinalStatus, type Job } from '#libs/contracts';
import type { JobFinalListener } from '#libs/jobs';
import type { InFlightRepository } from './in-flight.repository.js';

export interface InFlightReservation {
  reserved: boolean;
  /** The user's jobs in flight, this one included when reserved. */
  inFlight: number;
}

export interface InFlightOptions {
  /**
   * How long a reservation may stay without its job: the api reserves first and writes the job row a moment later,
   * so a missing job younger than this is a submission in progress, not a leftover.
   */
  staleAfterMs: number;
  /** How many reservations one clean-up looks up at most (the oldest first). */
  maxChecked: number;
  now: () => number;
}

/** Well above the longest a submission takes from its reservation to its job row (each AWS call is bounded). */
export const DEFAULT_IN_FLIGHT_OPTIONS: InFlightOptions = { staleAfterMs: 5 * 60_000, maxChecked: 100, now: Date.now };

/**
 * Jobs in flight per user. A submission reserves its job id before anything is written for it; the reservation is
 * released when the job reaches any final state (this is a JobFinalListener: the worker's finalizer and the api's
 * refused submissions report it), or at once when the submission fails before the job exists.
 *
 * A crash can still strand a reservation (the api died between the reservation and the job row, or a release
 * failed). So when the set is full, its members are checked against the jobs table: those whose job is final, or
 * missing for longer than a submission can take, are dropped and the reservation is tried once more.
 */
export class InFlightReservations implements JobFinalListener {
  constructor(
    private readonly store: InFlightRepository,
    private readonly jobs: Pick<JobRepository, 'get'>,
    private readonly options: InFlightOptions = DEFAULT_IN_FLIGHT_OPTIONS,
  ) {}

  async reserve(ownerId: string, jobId: string, max: number): Promise<InFlightReservation> {
    const first = await this.store.add(ownerId, jobId, max);
    if (first.added) {
      return { reserved: true, inFlight: first.count };
    }
    const stale = await this.staleReservations(ownerId);
    if (stale.length === 0) {
      return { reserved: false, inFlight: max };
    }
    await this.store.remove(ownerId, stale);
    const second = await this.store.add(ownerId, jobId, max);
    return second.added ? { reserved: true, inFlight: second.count } : { reserved: false, inFlight: max };
  }

  /**
   * Reserves all of `jobIds` or none (a batch): the same clean-up of stale reservations as `reserve` when the set
   * has no room for all of them. When refused, `inFlight` is the user's jobs in flight after the clean-up.
   */
  async reserveMany(ownerId: string, jobIds: readonly string[], max: number): Promise<InFlightReservation> {
    const first = await this.store.addMany(ownerId, jobIds, max);
    if (first.added) {
      return { reserved: true, inFlight: first.count };
    }
    const stale = await this.staleReservations(ownerId);
    await this.store.remove(ownerId, stale);
    const second = await this.store.addMany(ownerId, jobIds, max);
    if (second.added) {
      return { reserved: true, inFlight: second.count };
    }
    return { reserved: false, inFlight: (await this.store.members(ownerId)).length };
  }

  /** Releases many jobs at once (a batch that could not be written). */
  async releaseMany(ownerId: string, jobIds: readonly string[]): Promise<void> {
    await this.store.remove(ownerId, jobIds);
  }

  /** Idempotent: releasing a job twice (a duplicate notification) releases it once. */
  async release(ownerId: string, jobId: string): Promise<void> {
    await this.store.remove(ownerId, [jobId]);
  }

  async jobFinal(job: Job): Promise<void> {
    await this.release(job.ownerId, job.jobId);
  }

  private async staleReservations(ownerId: string): Promise<string[]> {
    const checked = (await this.store.members(ownerId)).slice(0, this.options.maxChecked);
    const jobs = await Promise.all(checked.map((jobId) => this.jobs.get(jobId)));
    return checked.filter((jobId, index) => {
      const job = jobs[index];
      return job ? isFinalStatus(job.status) : this.isOlderThanASubmission(jobId);
    });
  }

  private isOlderThanASubmission(jobId: string): boolean {
    let createdAt: number;
    try {
      createdAt = decodeTime(jobId);
    } catch {
      // not a job id at all: nothing will ever release it
      return true;
    }
    return this.options.now() - createdAt > this.options.staleAfterMs;
  }
}
