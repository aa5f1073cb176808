import { beforeEach, describe, expect, it } from '@jest/globals';
import { monotonicFactory, ulid } from 'ulid';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import type { InFlightAdd, InFlightRepository } from './in-flight.repository.js';
import { DEFAULT_IN_FLIGHT_OPTIONS, InFlightReservations } from './in-flight-reservations.js';

/** The store's semantics in memory: one set per owner, a conditional add, an idempotent remove. */
class FakeInFlightStore implements Pick<InFlightRepository, 'add' | 'remove' | 'members'> {
  readonly sets = new Map<string, Set<string>>();
  readonly removed: string[][] = [];

  async add(ownerId: string, jobId: string, max: number): Promise<InFlightAdd> {
    const set = this.sets.get(ownerId) ?? new Set<string>();
    if (set.size >= max && !set.has(jobId)) {
      return { added: false, count: max };
    }
    set.add(jobId);
    this.sets.set(ownerId, set);
    return { added: true, count: set.size };
  }

  async remove(ownerId: string, jobIds: readonly string[]): Promise<void> {
    this.removed.push([...jobIds]);
    jobIds.forEach((jobId) => this.sets.get(ownerId)?.delete(jobId));
  }

  async members(ownerId: string): Promise<string[]> {
    return [...(this.sets.get(ownerId) ?? [])].sort();
  }
}

const NOW = Date.parse('2026-11-27T00:00:00.000Z');
const STALE_AFTER_MS = 5 * 60_000;
const idAt = (time: number): string => ulid(time);

describe(InFlightReservations.name, () => {
  let store: FakeInFlightStore;
  let rows: Map<string, Job>;
  let lookedUp: string[];
  let sut: InFlightReservations;

  beforeEach(() => {
    store = new FakeInFlightStore();
    rows = new Map();
    lookedUp = [];
    const jobs = {
      get: async (jobId: string) => {
        lookedUp.push(jobId);
        return rows.get(jobId);
      },
    };
    sut = new InFlightReservations(store as unknown as InFlightRepository, jobs, {
      staleAfterMs: STALE_AFTER_MS,
      maxChecked: 3,
      now: () => NOW,
    });
  });

  function row(jobId: string, status: JobStatus): void {
    rows.set(jobId, JobFactory.create({ jobId, ownerId: 'alice', status }));
  }

  async function fill(ids: string[]): Promise<void> {
    for (const id of ids) {
      await store.add('alice', id, Number.MAX_SAFE_INTEGER);
    }
  }

  it('reserves while there is room and counts the jobs in flight, without looking anything up', async () => {
    await expect(sut.reserve('alice', idAt(NOW), 2)).resolves.toEqual({ reserved: true, inFlight: 1 });
    await expect(sut.reserve('alice', idAt(NOW), 2)).resolves.toEqual({ reserved: true, inFlight: 2 });
    expect(lookedUp).toEqual([]);
  });

  it('refuses when every reservation belongs to an active job or a submission in progress', async () => {
    const [queued, running] = [idAt(NOW - 60_000), idAt(NOW - 50_000)];
    row(queued, JobStatus.Queued);
    row(running, JobStatus.Running);
    // reserved a moment ago, its job row not written yet
    const inProgress = idAt(NOW - STALE_AFTER_MS);
    await fill([queued, running, inProgress]);

    await expect(sut.reserve('alice', idAt(NOW), 3)).resolves.toEqual({ reserved: false, inFlight: 3 });
    expect(store.removed).toEqual([]);
    await expect(store.members('alice')).resolves.toHaveLength(3);
  });

  it.each([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Canceled, JobStatus.TimedOut])(
    'drops a reservation whose job is %s when the set is full, and reserves',
    async (status) => {
      const [done, active] = [idAt(NOW - 60_000), idAt(NOW - 50_000)];
      row(done, status);
      row(active, JobStatus.Queued);
      await fill([done, active]);
      const next = idAt(NOW);

      await expect(sut.reserve('alice', next, 2)).resolves.toEqual({ reserved: true, inFlight: 2 });
      expect(store.removed).toEqual([[done]]);
      await expect(store.members('alice')).resolves.toEqual([active, next]);
    },
  );

  it('drops a reservation without a job only once it is older than any submission', async () => {
    const stranded = idAt(NOW - STALE_AFTER_MS - 1);
    const active = idAt(NOW - 1000);
    row(active, JobStatus.Running);
    await fill([stranded, active]);

    await expect(sut.reserve('alice', idAt(NOW), 2)).resolves.toMatchObject({ reserved: true });
    expect(store.removed).toEqual([[stranded]]);
  });

  it('drops a reservation that is not a job id at all', async () => {
    await fill(['not-a-ulid']);
    await expect(sut.reserve('alice', idAt(NOW), 1)).resolves.toMatchObject({ reserved: true });
    expect(store.removed).toEqual([['not-a-ulid']]);
  });

  it('looks up at most maxChecked reservations, the oldest first', async () => {
    const next = monotonicFactory();
    const ids = Array.from({ length: 5 }, () => next(NOW - 1000));
    ids.forEach((id) => row(id, JobStatus.Running));
    await fill(ids);

    await expect(sut.reserve('alice', idAt(NOW), 5)).resolves.toEqual({ reserved: false, inFlight: 5 });
    expect(lookedUp).toEqual(ids.slice(0, 3));
  });

  it('tries once more after the clean-up and refuses if the slot was taken meanwhile', async () => {
    const done = idAt(NOW - 60_000);
    row(done, JobStatus.Succeeded);
    await fill([done]);
    const racer = idAt(NOW - 10);
    const remove = store.remove.bind(store);
    // another submission takes the freed slot between the clean-up and the second try
    store.remove = async (ownerId, jobIds) => {
      await remove(ownerId, jobIds);
      await store.add(ownerId, racer, 1);
    };

    await expect(sut.reserve('alice', idAt(NOW), 1)).resolves.toEqual({ reserved: false, inFlight: 1 });
    await expect(store.members('alice')).resolves.toEqual([racer]);
  });

  it('releases a job when it becomes final, once however often that is reported', async () => {
    const [a, b] = [idAt(NOW - 2000), idAt(NOW - 1000)];
    await fill([a, b]);
    const job = JobFactory.create({ jobId: a, ownerId: 'alice', status: JobStatus.Succeeded });

    await sut.jobFinal(job);
    await sut.jobFinal(job);
    await expect(store.members('alice')).resolves.toEqual([b]);
    expect(store.removed).toEqual([[a], [a]]);
  });

  it('keeps a missing job’s reservation for 5 minutes by default (a submission still writing its job), checking at most 100', () => {
    expect(DEFAULT_IN_FLIGHT_OPTIONS).toMatchObject({ staleAfterMs: 300_000, maxChecked: 100 });
  });
});
