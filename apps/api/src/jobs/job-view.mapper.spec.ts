import { describe, expect, it } from '@jest/globals';
import { isFinalStatus, JOB_STATUSES, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { jobLinks, type JobLinkRule } from './job-view.mapper.js';

describe('jobLinks', () => {
  it('hands out `self` always, `cancel` and `events` only while the job is active (QUEUED or RUNNING)', () => {
    const self = '/v1/jobs/01JD0000000000000000000000';
    for (const status of JOB_STATUSES) {
      const job = JobFactory.create({ jobId: '01JD0000000000000000000000', status });
      const active = status === JobStatus.Queued || status === JobStatus.Running;
      expect([status, jobLinks(job)]).toEqual([
        status,
        active ? { self, cancel: `${self}/cancel`, events: `${self}/events` } : { self },
      ]);
    }
  });

  it('adds a registered link only in the states its rule allows', () => {
    const onlyWhileActive: JobLinkRule = {
      rel: 'self',
      href: (jobId) => `/v1/jobs/${jobId}/action`,
      appliesTo: (job) => !isFinalStatus(job.status),
    };
    const running = JobFactory.create({ jobId: 'j1', status: JobStatus.Running });
    const done = JobFactory.create({ jobId: 'j2', status: JobStatus.Succeeded });
    expect(jobLinks(running, [onlyWhileActive])).toEqual({ self: '/v1/jobs/j1/action' });
    expect(jobLinks(done, [onlyWhileActive])).toEqual({});
  });
});
