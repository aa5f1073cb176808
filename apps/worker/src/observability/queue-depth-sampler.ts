import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createSqsClient, MessageQueue } from '#libs/aws';
import { platformMetrics } from '#libs/observability';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';

/** Often enough for a dashboard, rare enough to cost nothing (one GetQueueAttributes per queue). */
export const QUEUE_DEPTH_SAMPLE_MS = 15_000;

/**
 * Samples the depth of the queues this worker consumes into `imggen_queue_messages{queue,state}` (visible and
 * in_flight). In AWS, CloudWatch's own SQS metrics feed the alarms; this is the same figure for /metrics.
 */
@Injectable()
export class QueueDepthSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly queues: MessageQueue[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(WORKER_CONFIG) config: Pick<WorkerConfig, 'aws' | 'resources'>,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(QueueDepthSampler.name);
    const client = createSqsClient(config.aws);
    const { notificationsQueueUrl, progressQueueUrl, webhookQueueUrl } = config.resources;
    this.queues = [notificationsQueueUrl, progressQueueUrl, webhookQueueUrl]
      .filter((url): url is string => url !== undefined)
      .map((url) => new MessageQueue(client, url));
  }

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), QUEUE_DEPTH_SAMPLE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    await Promise.all(
      this.queues.map(async (queue) => {
        const name = queue.queueUrl.split('/').pop() ?? queue.queueUrl;
        try {
          const { visible, inFlight } = await queue.depth();
          platformMetrics.queueMessages.set({ queue: name, state: 'visible' }, visible);
          platformMetrics.queueMessages.set({ queue: name, state: 'in_flight' }, inFlight);
        } catch (error) {
          this.logger.debug({ err: error, queue: name }, 'could not sample the queue depth');
        }
      }),
    );
  }
}
