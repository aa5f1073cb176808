import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { MessageQueue, type QueueMessage } from '#libs/aws';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';
import { NotificationHandler } from './notification.handler.js';

const MAX_RETRY_DELAY_SECONDS = 300;

/**
 * Long-polls the notifications queue and hands each message to the handler, at most `concurrency` at a time.
 * A message is deleted only after its job is final; on a transient error it becomes visible again after an
 * exponential backoff, and a poison message is released at once so it reaches the DLQ after maxReceiveCount.
 */
@Injectable()
export class NotificationConsumer implements OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly queue: MessageQueue,
    private readonly handler: NotificationHandler,
    private readonly logger: PinoLogger,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    this.logger.setContext(NotificationConsumer.name);
  }

  start(): void {
    if (this.loop) {
      return;
    }
    const { concurrency, batchSize } = this.config.consumer;
    this.logger.info({ queueUrl: this.queue.queueUrl, concurrency, batchSize }, 'consuming notifications');
    this.loop = this.run();
  }

  /** Stops polling, then waits (bounded) for the messages already being handled. */
  async stop(): Promise<void> {
    if (this.stopping) {
      return this.loop;
    }
    this.stopping = true;
    this.abort.abort();
    await this.loop;
    const pending = [...this.inFlight];
    if (pending.length > 0) {
      this.logger.info({ inFlight: pending.length }, 'waiting for in-flight messages');
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), this.config.consumer.shutdownTimeoutMs).unref(),
      );
      const outcome = await Promise.race([Promise.allSettled(pending), timeout]);
      if (outcome === 'timeout') {
        this.logger.warn({ inFlight: this.inFlight.size }, 'shutdown timeout; unfinished messages will be redelivered');
      }
    }
    this.logger.info('stopped');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async run(): Promise<void> {
    const { concurrency, batchSize, waitTimeSeconds, visibilityTimeoutSeconds } = this.config.consumer;
    while (!this.stopping) {
      if (this.inFlight.size >= concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      let messages: QueueMessage[];
      try {
        messages = await this.queue.receive(
          {
            maxMessages: Math.min(batchSize, concurrency - this.inFlight.size),
            waitTimeSeconds,
            visibilityTimeoutSeconds,
          },
          this.abort.signal,
        );
      } catch (error) {
        if (this.stopping) {
          break;
        }
        this.logger.error({ err: error }, 'receive failed; retrying in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const message of messages) {
        const task: Promise<void> = this.process(message).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
      }
    }
  }

  private async process(message: QueueMessage): Promise<void> {
    let result;
    try {
      result = await this.handler.handle(message);
    } catch (error) {
      this.logger.warn(
        { err: error, messageId: message.messageId, receiveCount: message.receiveCount },
        'handling failed; will retry',
      );
      result = 'retry' as const;
    }
    try {
      switch (result) {
        case 'done':
          await this.queue.delete(message.receiptHandle);
          return;
        case 'retry':
          await this.queue.changeVisibility(message.receiptHandle, this.retryDelaySeconds(message.receiveCount));
          return;
        case 'poison':
          await this.queue.changeVisibility(message.receiptHandle, 0);
          return;
      }
    } catch (error) {
      // the message simply reappears after its visibility timeout
      this.logger.warn({ err: error, messageId: message.messageId }, 'could not settle message');
    }
  }

  private retryDelaySeconds(receiveCount: number): number {
    const base = this.config.consumer.retryBaseDelaySeconds;
    return Math.min(MAX_RETRY_DELAY_SECONDS, base * 2 ** Math.max(0, receiveCount - 1));
  }
}
