import { z } from 'zod';

/**
 * What a model container (the stub; later our own container) publishes to the progress SNS topic while it renders
 * an asynchronous invocation: `started` once, then `step` now and then (at most a few per second). The worker
 * relays them into the job. Delivery is at least once and unordered: the relay never moves a job backwards.
 */
export const progressMessageSchema = z.object({
  type: z.literal('imggen.progress'),
  inferenceId: z.string().min(1),
  event: z.enum(['started', 'step']),
  /** When the container saw it (ISO 8601). */
  at: z.iso.datetime({ offset: true }),
  step: z.number().int().nonnegative().optional(),
  totalSteps: z.number().int().positive().optional(),
});
export type ProgressMessage = z.infer<typeof progressMessageSchema>;

export class MalformedProgressMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedProgressMessageError';
  }
}

/** The progress message in an SQS body: the SNS envelope's `Message`, or the raw message (raw delivery). */
export function parseProgressMessage(body: string): ProgressMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'Type' in parsed && 'Message' in parsed) {
      parsed = JSON.parse(String(parsed.Message));
    }
  } catch {
    throw new MalformedProgressMessageError('not JSON');
  }
  const result = progressMessageSchema.safeParse(parsed);
  if (!result.success) {
    throw new MalformedProgressMessageError(result.error.issues.map((issue) => issue.message).join('; '));
  }
  return result.data;
}
