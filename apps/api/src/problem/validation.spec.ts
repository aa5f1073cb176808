import { describe, expect, it } from '@jest/globals';
import { CreateBatchDto } from '../batches/dto/create-batch.dto.js';
import { CreateJobDto } from '../jobs/dto/create-job.dto.js';
import { ProblemException } from './problem.js';
import { RequestValidationPipe } from './validation.js';

describe(RequestValidationPipe.name, () => {
  const pipe = new RequestValidationPipe();
  const asBody = { type: 'body', metatype: CreateJobDto } as const;

  it('takes a valid body', async () => {
    await expect(pipe.transform({ prompt: 'a fox' }, asBody)).resolves.toBeInstanceOf(CreateJobDto);
  });

  // Nest's ValidationPipe deletes these keys and class-transformer skips inherited method names, both silently
  it.each(['constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'])(
    'refuses a body field named %s instead of dropping it',
    async (key) => {
      const body = JSON.parse(`{"prompt":"a fox","${key}":{"polluted":true}}`) as object;
      const failure = await pipe.transform(body, asBody).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProblemException);
      expect((failure as ProblemException).problem).toMatchObject({
        status: 400,
        errors: [{ field: key, message: `${key} is not a field of this request` }],
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  describe('nested bodies (a batch’s jobs)', () => {
    const asBatch = { type: 'body', metatype: CreateBatchDto } as const;
    const fieldsOf = async (body: object): Promise<string[]> => {
      const failure = await pipe.transform(body, asBatch).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProblemException);
      return ((failure as ProblemException).problem.errors ?? []).map((error) => error.field);
    };

    it('names a bad field of an array member by its index', async () => {
      await expect(fieldsOf({ jobs: [{ prompt: 'a' }, { prompt: 'b', steps: 'many' }] })).resolves.toEqual([
        'jobs[1].steps',
      ]);
    });

    it.each(['constructor', '__proto__', 'toString'])(
      'refuses a member field named %s instead of dropping it',
      async (key) => {
        const body = JSON.parse(`{"jobs":[{"prompt":"a"},{"prompt":"b","${key}":{"polluted":true}}]}`) as object;
        await expect(fieldsOf(body)).resolves.toEqual([`jobs[1].${key}`]);
      },
    );
  });
});
