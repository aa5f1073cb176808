import { describe, expect, it } from '@jest/globals';
import { monotonicFactory, ulid } from 'ulid';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import type { InFlightAdd, InFlightRepository } from './in-flight.repository.js';
import { InFlightReservations } from './in-flight-reservations.js';

/** The store's batch semantics in memory: all of the ids or none, while the set has room for all. */
class FakeInFlightStore implements Pick<InFlightRepository, 'addMany' | 'remove' | 'members'> {
  readonly set = new Set<string>();

  async addMany(_ownerId: string, jobIds: readonly string[], max: number): Promise<InFlightAdd> {
    if (this.set.size + jobIds.length > max) {
      return { added: false, count: 0 };
    }
    jobIds.forEach((jobId) => this.set.add(jobId));
    return { added: true, count: this.set.size };
  }

  async remove(_ownerId: string, jobIds: readonly string[]): Promise<void> {
    jobIds.forEach((jobId) => this.set.delete(jobId));
  }

  async members(): Promise<string[]> {
    return [...this.set].sort();
  }
}

const NOW = Date.parse('2026-11-27T00:00:00.000Z');

describe(`${InFlightReservations.name}.reserveMany`, () => {
  function setUp(rows: Job[] = []) {
    const store = new FakeInFlightStore();
    const byId = new Map(rows.map((job) => [job.jobId, job]));
    const sut = new InFlightReservations(
      store as unknown as InFlightRepository,
      { get: async (jobId: string) => byId.get(jobId) },
      { staleAfterMs: 5 * 60_000, maxChecked: 100, now: () => NOW },
    );
    return { store, sut };
  }
  const next = monotonicFactory();
  const ids = (count: number): string[] => Array.from({ length: count }, () => next(NOW));

  it('reserves every job of the batch or none, and says how many are in flight when refused', async () => {
    const { store, sut } = setUp();
    await expect(sut.reserveMany('alice', ids(3), 5)).resolves.toEqual({ reserved: true, inFlight: 3 });
    await expect(sut.reserveMany('alice', ids(3), 5)).resolves.toEqual({ reserved: false, inFlight: 3 });
    expect(store.set.size).toBe(3);
  });

  it('drops reservations whose job is final, or missing for longer than a submission, and tries again', async () => {
    const finished = JobFactory.create({ jobId: ulid(NOW - 1000), status: JobStatus.Succeeded });
    const running = JobFactory.create({ jobId: ulid(NOW - 1000), status: JobStatus.Running });
    const { store, sut } = setUp([finished, running]);
    const strandedLongAgo = ulid(NOW - 10 * 60_000);
    [finished.jobId, running.jobId, strandedLongAgo].forEach((jobId) => store.set.add(jobId));

    await expect(sut.reserveMany('alice', ids(3), 4)).resolves.toEqual({ reserved: true, inFlight: 4 });
    expect(store.set.has(running.jobId)).toBe(true);
    expect(store.set.has(finished.jobId)).toBe(false);
  });

  it('releases a batch’s jobs at once', async () => {
    const { store, sut } = setUp();
    const batch = ids(3);
    await sut.reserveMany('alice', batch, 5);

    await sut.releaseMany('alice', batch.slice(1));

    expect([...store.set]).toEqual([batch[0]]);
  });
});
