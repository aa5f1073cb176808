import { Injectable } from '@nestjs/common';
import { JobRepository, type WebhookAttemptRecord, WebhookDeliveryRepository } from '#libs/aws';
import { parseWebhookEventId } from '#libs/contracts';
import { WebhookEvents, WebhookSecrets, type WebhookSecretView } from '#libs/webhooks';
import type { AuthUser } from '../auth/auth-user.js';
import { DEFAULT_PAGE_SIZE } from '../jobs/dto/list-jobs.query.js';
import { ProblemException } from '../problem/problem.js';

export interface DeliveryPage {
  attempts: WebhookAttemptRecord[];
  nextCursor?: string;
}

const ATTEMPT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The webhook routes: the caller's signing secret, and the delivery log of the caller's own jobs. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly secrets: WebhookSecrets,
    private readonly events: WebhookEvents,
    private readonly log: WebhookDeliveryRepository,
    private readonly jobs: JobRepository,
  ) {}

  secret(user: AuthUser): Promise<WebhookSecretView> {
    return this.secrets.current(user.id);
  }

  rotate(user: AuthUser): Promise<WebhookSecretView> {
    return this.secrets.rotate(user.id);
  }

  async deliveries(user: AuthUser, jobId: string, options: { limit?: number; cursor?: string }): Promise<DeliveryPage> {
    await this.ownJob(user, jobId);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const page = await this.log.listAttempts(jobId, { limit: options.limit ?? DEFAULT_PAGE_SIZE, after });
    const last = page.attempts.at(-1);
    return page.hasMore && last
      ? { attempts: page.attempts, nextCursor: Buffer.from(last.attemptId).toString('base64url') }
      : { attempts: page.attempts };
  }

  async redeliver(user: AuthUser, jobId: string, deliveryId: string): Promise<void> {
    await this.ownJob(user, jobId);
    const parsed = parseWebhookEventId(deliveryId);
    if (parsed?.jobId !== jobId || !(await this.events.redeliver(jobId, deliveryId))) {
      throw ProblemException.notFound(`Job ${jobId} has no webhook delivery ${deliveryId}`);
    }
  }

  /** The delivery log is the owner's alone (an administrator too gets 404 for someone else's job). */
  private async ownJob(user: AuthUser, jobId: string): Promise<void> {
    const job = await this.jobs.get(jobId);
    if (!job || job.ownerId !== user.id) {
      throw ProblemException.notFound(`No job ${jobId}`);
    }
  }
}

function decodeCursor(cursor: string): string {
  const attemptId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ATTEMPT_ID.test(attemptId)) {
    throw ProblemException.validation([{ field: 'cursor', message: 'cursor is not valid for this listing' }]);
  }
  return attemptId;
}
