import { z } from 'zod';
import type { JobTraceContext } from '#libs/contracts';

/**
 * A webhook queue message: which event to send and which attempt this is. The event itself (URL, body) is stored
 * in the accounts table, so the message stays small and a redelivery sends exactly the same body.
 */
export interface WebhookMessage {
  jobId: string;
  eventId: string;
  /** 1-based attempt number within this delivery. */
  attempt: number;
  /** When attempt 1 was made: the retry window counts from it. */
  firstAttemptAt?: string;
  /** Not to be attempted before this instant: delays longer than SQS's 900 s are waited out in hops. */
  notBefore?: string;
  /** The job's trace: the delivery's span and log lines join it. */
  trace?: JobTraceContext;
}

const messageSchema = z.object({
  jobId: z.string().min(1).max(64),
  eventId: z.string().min(1).max(128),
  attempt: z.number().int().min(1).max(10_000),
  firstAttemptAt: z.iso.datetime().optional(),
  notBefore: z.iso.datetime().optional(),
  trace: z
    .object({
      traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
      tracestate: z.string().max(512).optional(),
    })
    .optional(),
});

export function parseWebhookMessage(body: string): WebhookMessage | undefined {
  try {
    const parsed = messageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
