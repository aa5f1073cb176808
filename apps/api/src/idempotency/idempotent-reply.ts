import type { FastifyReply } from 'fastify';
import type { IdempotentOutcome } from './idempotency.service.js';

/** Puts an idempotent submission's answer on the reply (its Location, and whether it is a replay); returns its body. */
export function replyWith<T>(reply: FastifyReply, outcome: IdempotentOutcome<T>): T {
  if (outcome.location) {
    void reply.header('location', outcome.location);
  }
  if (outcome.replayed) {
    void reply.header('idempotent-replayed', 'true');
  }
  return outcome.body;
}
