import type { FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, InvalidIdempotencyKeyError, parseIdempotencyKey } from './idempotency-key.js';
import { invalidIdempotencyKey } from './idempotency.problems.js';

/** The request's Idempotency-Key, undefined without one; a malformed one is a 400 naming the header. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  try {
    return parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
  } catch (error) {
    if (error instanceof InvalidIdempotencyKeyError) {
      throw invalidIdempotencyKey(error.message);
    }
    throw error;
  }
}
