import { describe, expect, it } from '@jest/globals';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { imageOutcomesOf } from './image-outcomes.view.js';

const image = { key: 'images/u/j/1.png', index: 1, width: 64, height: 64, format: 'png' as const, bytes: 10 };

describe(imageOutcomesOf.name, () => {
  it('counts the stored outcomes of a partial result', () => {
    const job = JobFactory.create({
      status: JobStatus.Succeeded,
      images: [image],
      imageOutcomes: ['filtered', 'ok', 'failed', 'filtered'],
    });
    expect(imageOutcomesOf(job)).toEqual({
      ok: 1,
      filtered: 2,
      failed: 1,
      outcomes: ['filtered', 'ok', 'failed', 'filtered'],
    });
  });

  it('shows the outcomes of a job that failed because every image was filtered', () => {
    const job = JobFactory.create({ status: JobStatus.Failed, imageOutcomes: ['filtered', 'filtered'] });
    expect(imageOutcomesOf(job)).toEqual({ ok: 0, filtered: 2, failed: 0, outcomes: ['filtered', 'filtered'] });
  });

  it('reads a succeeded job stored before outcomes existed as all delivered, and null before an answer', () => {
    expect(imageOutcomesOf(JobFactory.create({ status: JobStatus.Succeeded, images: [image, image] }))).toEqual({
      ok: 2,
      filtered: 0,
      failed: 0,
      outcomes: ['ok', 'ok'],
    });
    expect(imageOutcomesOf(JobFactory.create({ status: JobStatus.Queued }))).toBeNull();
    expect(imageOutcomesOf(JobFactory.create({ status: JobStatus.Failed }))).toBeNull();
  });
});
