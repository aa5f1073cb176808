import { describe, expect, it } from '@jest/globals';
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
});
