import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Job, JobRequest } from '#libs/contracts';
import type { ModelParamsIssue } from '#libs/models';
import { WebhookEvents, WEBHOOKS_CONFIG, type WebhooksConfig, webhookUrlProblem } from '#libs/webhooks';

/** The webhook side of a submission: the URL's policy check, and the `queued` event once the job is written. */
@Injectable()
export class WebhookSubmissions {
  constructor(
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    private readonly events: WebhookEvents,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(WebhookSubmissions.name);
  }

  /** What is wrong with the request's webhook fields (a 400 naming them); empty when nothing is. */
  issues(request: JobRequest): ModelParamsIssue[] {
    // null is "not given", as for every optional field
    if (request.webhookUrl === undefined || request.webhookUrl === null) {
      return request.webhookEvents === undefined || request.webhookEvents === null
        ? []
        : [{ field: 'webhookEvents', message: 'needs a webhookUrl to send them to' }];
    }
    const problem = webhookUrlProblem(request.webhookUrl, this.config);
    return problem ? [{ field: 'webhookUrl', message: problem }] : [];
  }

  /**
   * Publishes `queued` for a job just written, when it asked for it. Best effort: the job is accepted either way
   * (its `completed` event, which matters most, is published by whatever makes it final, and retried there).
   */
  async accepted(job: Job): Promise<void> {
    try {
      await this.events.jobChanged(job, 'queued');
    } catch (error) {
      this.logger.error({ err: error, jobId: job.jobId }, 'could not publish the queued webhook event');
    }
  }
}
