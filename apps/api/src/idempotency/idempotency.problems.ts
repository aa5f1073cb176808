import { HttpStatus } from '@nestjs/common';
import { ProblemException, ProblemType } from '../problem/problem.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key.js';

/** Seconds a client is told to wait when the first request with its key is still running. */
export const IN_USE_RETRY_AFTER_SECONDS = 1;

export function invalidIdempotencyKey(message: string): ProblemException {
  return ProblemException.validation([
    { field: IDEMPOTENCY_KEY_HEADER, message: `${IDEMPOTENCY_KEY_HEADER} ${message}` },
  ]);
}

export function idempotencyKeyReused(): ProblemException {
  return new ProblemException({
    type: ProblemType.IdempotencyKeyReused,
    title: 'Idempotency key reused',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail:
      'This Idempotency-Key was already used with a different request body. Send the original body to get its ' +
      'answer, or use a new key for a new request.',
  });
}

export function idempotencyKeyInUse(): ProblemException {
  return new ProblemException(
    {
      type: ProblemType.IdempotencyKeyInUse,
      title: 'Idempotency key in use',
      status: HttpStatus.CONFLICT,
      detail:
        'A request with this Idempotency-Key is still being processed. Retry the same request after Retry-After ' +
        'seconds to get its answer.',
    },
    { 'retry-after': String(IN_USE_RETRY_AFTER_SECONDS) },
  );
}
