import { type PinoLogger } from 'nestjs-pino';
import { type JobRepository, type ModelStatsRepository, type QueueMessage } from '#libs/aws';
import {
  isFinalStatus,
  type Job,
  JobStatus,
  type JobStepProgress,
  MalformedProgressMessageError,
  parseProgressMessage,
  type ProgressMessage,
} from '#libs/contracts';
import type { WebhookEvents } from '#libs/webhooks';
import type { ConsumeResult, MessageHandler } from '../notifications/notification-consumer.js';
import { isTransientError } from '../notifications/notification.handler.js';

/**
 * Relays a model's progress into its job: "started" moves QUEUED → RUNNING (`timings.startedAt`), a step moves
 * `steps` forward. Every write is conditional, so a duplicate, late or out-of-order message never moves a job
 * backwards, and progress for a final job is ignored. A step that arrives before "started" starts the job too.
 * Messages that cannot be relayed are dropped (progress is advisory), except while DynamoDB is unavailable.
 * Each change it writes is announced as a `running` or `progress` webhook event (to jobs that asked for them).
 */
export class ProgressHandler implements MessageHandler {
  constructor(
    private readonly jobs: JobRepository,
    private readonly stats: ModelStatsRepository,
    private readonly logger: PinoLogger,
    private readonly webhooks?: Pick<WebhookEvents, 'jobChanged'>,
  ) {
    this.logger.setContext(ProgressHandler.name);
  }

  async handle(message: QueueMessage): Promise<ConsumeResult> {
    try {
      await this.relay(parseProgressMessage(message.body));
      return { action: 'delete' };
    } catch (error) {
      if (error instanceof MalformedProgressMessageError) {
        this.logger.warn({ messageId: message.messageId, reason: error.message }, 'malformed progress message dropped');
        return { action: 'delete' };
      }
      if (isTransientError(error)) {
        return { action: 'retry', reason: (error as Error).message };
      }
      this.logger.error({ err: error, messageId: message.messageId }, 'could not relay progress; dropped');
      return { action: 'delete' };
    }
  }

  /** The job after the message, or undefined when it changed nothing; a change is announced to webhooks. */
  async relay(progress: ProgressMessage): Promise<Job | undefined> {
    const change = await this.write(progress);
    if (change) {
      await this.announce(change.job, change.started);
    }
    return change?.job;
  }

  /** Writes what the message says; `started`: this write moved the job to RUNNING. */
  private async write(progress: ProgressMessage): Promise<{ job: Job; started: boolean } | undefined> {
    const steps: JobStepProgress | undefined =
      progress.event === 'step' && progress.step !== undefined && progress.totalSteps !== undefined
        ? { step: progress.step, totalSteps: progress.totalSteps }
        : undefined;
    // at most twice: a concurrent "started" may move the job between our read and our write
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const job = await this.jobs.get(progress.inferenceId);
      if (!job || isFinalStatus(job.status)) {
        return undefined;
      }
      if (job.status === JobStatus.Queued) {
        const started = await this.jobs.markStarted(job, { startedAt: progress.at, ...(steps ? { steps } : {}) });
        if (started) {
          await this.learnColdStart(started);
          return { job: started, started: true };
        }
        continue;
      }
      const stepped = steps ? await this.jobs.recordStep(job.jobId, steps) : undefined;
      return stepped ? { job: stepped, started: false } : undefined;
    }
    return undefined;
  }

  /**
   * `running` when this write started the job, `progress` when it recorded a step. Best effort: the write stands
   * (progress is advisory), and a later step announces the job's progress again.
   */
  private async announce(job: Job, started: boolean): Promise<void> {
    try {
      if (started) {
        await this.webhooks?.jobChanged(job, 'running', { version: job.version });
      }
      if (job.steps) {
        await this.webhooks?.jobChanged(job, 'progress', job.steps);
      }
    } catch (error) {
      this.logger.warn({ err: error, jobId: job.jobId }, 'could not publish the progress webhook event');
    }
  }

  /** A job submitted to an endpoint at zero instances waited one cold start (and no queue) until it started. */
  private async learnColdStart(job: Job): Promise<void> {
    const { invokedAt, startedAt } = job.timings;
    if (!job.coldStartAtSubmit || !invokedAt || !startedAt) {
      return;
    }
    const waitedMs = Date.parse(startedAt) - Date.parse(invokedAt);
    if (waitedMs < 0) {
      return;
    }
    try {
      await this.stats.record(job.params.modelId, 'coldStart', waitedMs);
    } catch (error) {
      this.logger.warn({ err: error, jobId: job.jobId }, 'could not record the cold start');
    }
  }
}
