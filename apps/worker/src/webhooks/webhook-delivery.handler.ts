import type { PinoLogger } from 'nestjs-pino';
import { ulid } from 'ulid';
import {
  epochSeconds,
  type MessageQueue,
  type QueueMessage,
  WebhookAttemptOutcome,
  type WebhookAttemptRecord,
  type WebhookDeliveryRepository,
} from '#libs/aws';
import {
  hopDelaySeconds,
  nextAttemptAt,
  parseWebhookMessage,
  signedHeaders,
  type WebhookMessage,
  type WebhookRetrySchedule,
  type WebhookSecrets,
} from '#libs/webhooks';
import type { ConsumeResult } from '../notifications/notification-consumer.js';
import type { WebhookSender } from './webhook-sender.js';
import { inJobTrace, platformMetrics } from '#libs/observability';

export interface WebhookDeliveryOptions {
  retry: WebhookRetrySchedule;
  logRetentionSeconds: number;
}

/** A message that comes back this early (SQS rounds; clocks differ) is attempted rather than delayed again. */
const DUE_TOLERANCE_MS = 1000;

/**
 * Delivers one webhook queue message: one signed attempt, recorded in the delivery log. A failed attempt is
 * followed by a NEW message carrying the next attempt, delayed per the retry schedule (hops of at most 900 s for
 * longer delays); the current message is deleted only after that, so a worker that dies at any point loses nothing
 * (its message reappears after the visibility timeout and the attempt is made again, with the same webhook-id).
 */
export class WebhookDeliveryHandler {
  constructor(
    private readonly queue: Pick<MessageQueue, 'send'>,
    private readonly log: WebhookDeliveryRepository,
    private readonly secrets: Pick<WebhookSecrets, 'signingKeys'>,
    private readonly sender: Pick<WebhookSender, 'send'>,
    private readonly options: WebhookDeliveryOptions,
    private readonly logger: PinoLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async handle(queued: QueueMessage): Promise<ConsumeResult> {
    const message = parseWebhookMessage(queued.body);
    if (!message) {
      return { action: 'dead-letter', reason: 'not a webhook message' };
    }
    // in the job's trace: the attempt's span, and so its log lines, carry the job's trace id
    const attributes = { 'imggen.job_id': message.jobId, 'imggen.webhook.attempt': message.attempt };
    return inJobTrace(message.trace, 'webhook.delivery', attributes, () => this.deliver(message));
  }

  private async deliver(message: WebhookMessage): Promise<ConsumeResult> {
    const context = { jobId: message.jobId, eventId: message.eventId, attempt: message.attempt };
    if (message.notBefore && Date.parse(message.notBefore) - this.now().getTime() > DUE_TOLERANCE_MS) {
      await this.queue.send(JSON.stringify(message), hopDelaySeconds(new Date(message.notBefore), this.now()));
      return { action: 'delete' };
    }
    const event = await this.log.getEvent(message.jobId, message.eventId, this.now());
    if (!event) {
      this.logger.warn(context, 'webhook event not found (expired or never stored); dropping the message');
      return { action: 'delete' };
    }
    const keys = await this.secrets.signingKeys(event.ownerId);
    const attemptedAt = this.now();
    const response = await this.sender.send({
      url: event.url,
      headers: { ...signedHeaders(keys, event.eventId, attemptedAt, event.body) },
      body: event.body,
    });
    const firstAttemptAt = message.firstAttemptAt ? new Date(message.firstAttemptAt) : attemptedAt;
    const delivered = response.error === undefined;
    const next =
      delivered || response.blocked
        ? undefined
        : nextAttemptAt(this.options.retry, message.attempt, firstAttemptAt, this.now());
    const outcome = delivered
      ? WebhookAttemptOutcome.Delivered
      : response.blocked
        ? WebhookAttemptOutcome.Blocked
        : next
          ? WebhookAttemptOutcome.Retrying
          : WebhookAttemptOutcome.Failed;
    const attempt: WebhookAttemptRecord = {
      attemptId: ulid(attemptedAt.getTime()),
      eventId: event.eventId,
      jobId: event.jobId,
      type: event.type,
      attempt: message.attempt,
      attemptedAt: attemptedAt.toISOString(),
      durationMs: response.durationMs,
      outcome,
      ...(response.statusCode !== undefined ? { statusCode: response.statusCode } : {}),
      ...(response.error !== undefined ? { error: response.error } : {}),
      ...(next ? { nextAttemptAt: next.toISOString() } : {}),
      expiresAt: epochSeconds(attemptedAt) + this.options.logRetentionSeconds,
    };
    await this.log.recordAttempt(attempt);
    platformMetrics.webhookDeliveries.inc({ outcome });
    const logged = { ...context, outcome, statusCode: response.statusCode, durationMs: response.durationMs };
    if (next) {
      const retry: WebhookMessage = {
        jobId: message.jobId,
        eventId: message.eventId,
        attempt: message.attempt + 1,
        firstAttemptAt: firstAttemptAt.toISOString(),
        notBefore: next.toISOString(),
        ...(message.trace ? { trace: message.trace } : {}),
      };
      await this.queue.send(JSON.stringify(retry), hopDelaySeconds(next, this.now()));
      this.logger.info(
        { ...logged, error: response.error, nextAttemptAt: retry.notBefore },
        'webhook failed; retrying',
      );
    } else if (outcome === WebhookAttemptOutcome.Delivered) {
      this.logger.info(logged, 'webhook delivered');
    } else {
      this.logger.warn(
        { ...logged, error: response.error, firstAttemptAt: firstAttemptAt.toISOString() },
        outcome === WebhookAttemptOutcome.Blocked
          ? 'webhook refused: its URL resolves to a blocked address; giving up'
          : 'webhook failed for the whole retry window; giving up',
      );
    }
    return { action: 'delete' };
  }
}
