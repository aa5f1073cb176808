import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '../problem/problem.js';
import { batchJobRequests } from './batch-requests.js';
import type { CreateBatchDto } from './dto/create-batch.dto.js';

const body = (value: object): CreateBatchDto => value;

describe(batchJobRequests.name, () => {
  it('makes one job per prompt with the shared fields, naming each prompt by its index', () => {
    const requests = batchJobRequests(body({ prompts: ['a', 'b'], steps: 20, width: undefined }));

    expect(requests.map((job) => job.request)).toEqual([
      { prompt: 'a', steps: 20 },
      { prompt: 'b', steps: 20 },
    ]);
    expect(requests[1]!.fieldName('prompt')).toBe('prompts[1]');
    expect(requests[1]!.fieldName('steps')).toBe('steps');
  });

  it('gives each job its own fields over the shared ones, naming them by the job’s index', () => {
    const requests = batchJobRequests(
      body({ steps: 20, width: 512, jobs: [{ prompt: 'a', steps: 40, width: undefined }, { prompt: 'b' }] }),
    );

    expect(requests.map((job) => job.request)).toEqual([
      { prompt: 'a', steps: 40, width: 512 },
      { prompt: 'b', steps: 20, width: 512 },
    ]);
    expect(requests[1]!.fieldName('width')).toBe('jobs[1].width');
  });

  it('wants exactly one of jobs and prompts', () => {
    const fieldsOf = (value: object): string[] => {
      try {
        batchJobRequests(body(value));
      } catch (error) {
        return ((error as ProblemException).problem.errors ?? []).map((e) => e.field);
      }
      throw new Error('accepted');
    };
    expect(fieldsOf({ prompts: ['a'], jobs: [{ prompt: 'b' }] })).toEqual(['prompts']);
    expect(fieldsOf({ steps: 20 })).toEqual(['jobs']);
    expect(fieldsOf({ jobs: null, prompts: null })).toEqual(['jobs']);
    expect(() => batchJobRequests(body({}))).toThrow(ProblemException);
  });
});
