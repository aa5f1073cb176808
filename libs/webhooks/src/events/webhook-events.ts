import type { MessageQueue, WebhookDeliveryRepository, WebhookEventRecord } from '#libs/aws';
import { epochSeconds } from '#libs/aws';
import { type Job, type WebhookEventKind, webhookEventId } from '#libs/contracts';
import type { JobFinalListener } from '#libs/jobs';
import type { WebhookMessage } from './webhook-message.js';
import { webhookPayload } from './webhook-payload.js';

/** Which state change happened, and for the kinds a job can have several of, which one. */
export interface JobChange {
  /** `running`: the job's version when it has one (so a second RUNNING write is a second event). */
  version?: number;
  /** `progress`: the step reached, of totalSteps. */
  step?: number;
  totalSteps?: number;
}

/**
 * Publishes a job's webhook events: stores each (its body is the job at that moment) and enqueues its first
 * attempt on the webhook queue, which the worker delivers. The one entry point for every producer:
 * - the api calls `jobChanged(job, 'queued')` once the job is written;
 * - the progress relay calls `jobChanged(job, 'running', { version })` and `jobChanged(job, 'progress', { step,
 *   totalSteps })`;
 * - every path that makes a job final reaches `jobFinal` (a JobFinalListener): `completed`.
 * An event the job did not choose (webhookEvents) or a job without webhookUrl publishes nothing. The event id is
 * stable, so a repeated report stores nothing new and enqueues a message with the same `webhook-id`.
 */
export class WebhookEvents implements JobFinalListener {
  constructor(
    private readonly log: WebhookDeliveryRepository,
    private readonly queue: Pick<MessageQueue, 'send'>,
    private readonly options: { retentionSeconds: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async jobFinal(job: Job): Promise<void> {
    await this.jobChanged(job, 'completed');
  }

  /** Publishes the event when the job subscribed to it; returns its id (undefined: not subscribed). */
  async jobChanged(job: Job, kind: WebhookEventKind, change: JobChange = {}): Promise<string | undefined> {
    const url = job.params.webhookUrl;
    if (!url || !(job.params.webhookEvents ?? ['completed']).includes(kind)) {
      return undefined;
    }
    const sequence = kind === 'progress' ? (change.step ?? 0) : kind === 'running' ? change.version : undefined;
    const eventId = webhookEventId(job.jobId, kind, sequence);
    const at = this.now();
    const progress =
      kind === 'progress' && change.step !== undefined
        ? { step: change.step, totalSteps: change.totalSteps ?? job.params.steps }
        : undefined;
    const event: WebhookEventRecord = {
      eventId,
      jobId: job.jobId,
      ownerId: job.ownerId,
      type: `job.${kind}`,
      url,
      body: JSON.stringify(webhookPayload(job, kind, at, progress)),
      createdAt: at.toISOString(),
      expiresAt: epochSeconds(at) + this.options.retentionSeconds,
    };
    await this.log.putEvent(event, at);
    await this.enqueue({ jobId: job.jobId, eventId, attempt: 1, ...(job.trace ? { trace: job.trace } : {}) });
    return eventId;
  }

  /** Sends a stored event again from attempt 1 (same webhook-id); false when the job has no such event. */
  async redeliver(jobId: string, eventId: string): Promise<boolean> {
    const event = await this.log.getEvent(jobId, eventId, this.now());
    if (!event) {
      return false;
    }
    await this.enqueue({ jobId, eventId, attempt: 1 });
    return true;
  }

  private async enqueue(message: WebhookMessage): Promise<void> {
    await this.queue.send(JSON.stringify(message));
  }
}
