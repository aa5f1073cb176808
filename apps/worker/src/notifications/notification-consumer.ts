import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { MessageQueue, type QueueMessage } from '#libs/aws';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';
import { PollMonitor } from '../health/poll-monitor.js';
import { NotificationHandler } from './notification.handler.js';
import { retryDelaySeconds } from './retry-policy.js';
import { platformMetrics } from '#libs/observability';
import { bounded, TIMED_OUT } from '#libs/runtime';

/** What to do with a handled message (see HandleResult); any handler of a queue answers one. */
export type ConsumeResult =
  { action: 'delete' } | { action: 'retry'; reason: string } | { action: 'dead-letter'; reason: string };

/** Handles one message and never throws (the consumer has a safety net anyway). */
export interface MessageHandler {
  handle(message: QueueMessage): Promise<ConsumeResult>;
}

/** Pause after a failed receive, so an SQS outage is not a tight loop. */
const RECEIVE_ERROR_PAUSE_MS = 1000;
/** Part of the shutdown bound kept for releasing unfinished messages (at most this, at most a fifth of it). */
const RELEASE_RESERVE_MS = 5000;

interface InFlight {
  message: QueueMessage;
  task: Promise<void>;
  /** Set at shutdown when the message was handed back to the queue: its late result must not touch it. */
  released: boolean;
  /** Stops the visibility heartbeat. */
  stopHeartbeat(): Promise<void>;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Long-polls the notifications queue and hands each message to the handler, at most `concurrency` at a time.
 * While a message is handled its visibility is renewed (a heartbeat), so slow work is not handed to a second
 * worker. Afterwards it is deleted (job final), hidden for a jittered exponential backoff (retry) or hidden for a
 * short fixed delay (dead-letter: SQS moves it to the DLQ after maxReceiveCount receives, without a hot loop).
 */
/** How long the message waited in its queue (`imggen_queue_message_age_seconds`, labelled with the queue's name). */
function observeMessageAge(queueUrl: string, message: QueueMessage): void {
  if (message.sentAt !== undefined) {
    const queue = queueUrl.split('/').pop() ?? queueUrl;
    platformMetrics.queueMessageAge.observe({ queue }, Math.max(0, Date.now() - message.sentAt) / 1000);
  }
}

@Injectable()
export class NotificationConsumer implements OnApplicationShutdown {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly queue: MessageQueue,
    // the notifications' handler in the worker module; the progress relay builds its own consumer with its handler
    @Inject(NotificationHandler) private readonly handler: MessageHandler,
    private readonly monitor: PollMonitor,
    private readonly logger: PinoLogger,
    @Inject(WORKER_CONFIG) private readonly config: Pick<WorkerConfig, 'consumer'>,
  ) {
    this.logger.setContext(NotificationConsumer.name);
  }

  start(): void {
    if (this.loop || this.stopping) {
      return;
    }
    const { concurrency, batchSize } = this.config.consumer;
    this.logger.info({ queueUrl: this.queue.queueUrl, concurrency, batchSize }, 'consuming notifications');
    this.monitor.started();
    this.loop = this.run();
  }

  /**
   * Stops polling, lets the messages in flight finish and hands back (visibility 0) those that do not finish in
   * time. Resolves within `shutdownTimeoutMs` whatever the handlers or SQS do.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async shutdown(): Promise<void> {
    const deadline = Date.now() + this.config.consumer.shutdownTimeoutMs;
    const reserveMs = Math.min(RELEASE_RESERVE_MS, this.config.consumer.shutdownTimeoutMs / 5);
    this.monitor.stopped();
    this.abort.abort();
    // a receive that ignores the abort must not hold shutdown either
    await bounded(this.loop ?? Promise.resolve(), deadline - reserveMs - Date.now());
    if (this.inFlight.size > 0) {
      this.logger.info({ inFlight: this.inFlight.size }, 'waiting for in-flight messages');
      const tasks = [...this.inFlight.values()].map((entry) => entry.task);
      await bounded(Promise.allSettled(tasks), deadline - reserveMs - Date.now());
    }
    const unfinished = [...this.inFlight.values()];
    if (unfinished.length > 0) {
      this.logger.warn({ inFlight: unfinished.length }, 'shutdown bound reached; releasing unfinished messages');
      const releases = unfinished.map(async (entry) => {
        entry.released = true;
        void entry.stopHeartbeat();
        try {
          await this.queue.changeVisibility(entry.message.receiptHandle, 0);
        } catch (error) {
          // it reappears after its visibility timeout instead
          this.logger.warn({ err: error, messageId: entry.message.messageId }, 'could not release message');
        }
      });
      if ((await bounded(Promise.all(releases), deadline - Date.now())) === TIMED_OUT) {
        this.logger.warn('releasing timed out; those messages reappear after their visibility timeout');
      }
    }
    this.logger.info('stopped');
  }

  private async run(): Promise<void> {
    const { concurrency, batchSize, waitTimeSeconds, visibilityTimeoutSeconds } = this.config.consumer;
    const { signal } = this.abort;
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    while (!signal.aborted) {
      if (this.inFlight.size >= concurrency) {
        // a free slot or shutdown, whichever comes first: work that never finishes cannot hold the loop
        await Promise.race([...[...this.inFlight.values()].map((entry) => entry.task), aborted]);
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
          signal,
        );
        this.monitor.receiveCompleted(true);
      } catch (error) {
        if (signal.aborted) {
          break;
        }
        this.monitor.receiveCompleted(false);
        this.logger.error({ err: error }, 'receive failed; retrying in 1 s');
        await pause(RECEIVE_ERROR_PAUSE_MS, signal);
        continue;
      }
      if (signal.aborted) {
        // the receive answered after shutdown began: hand the messages straight back
        await Promise.allSettled(messages.map((m) => this.queue.changeVisibility(m.receiptHandle, 0)));
        break;
      }
      for (const message of messages) {
        observeMessageAge(this.queue.queueUrl, message);
        this.track(message);
      }
    }
  }

  private track(message: QueueMessage): void {
    const entry: InFlight = {
      message,
      task: Promise.resolve(),
      released: false,
      stopHeartbeat: () => Promise.resolve(),
    };
    entry.task = this.process(entry).finally(() => this.inFlight.delete(message.receiptHandle));
    this.inFlight.set(message.receiptHandle, entry);
  }

  private async process(entry: InFlight): Promise<void> {
    const { message } = entry;
    const heartbeat = this.startHeartbeat(entry);
    entry.stopHeartbeat = () => heartbeat.stop();
    let result: ConsumeResult;
    try {
      result = await this.handler.handle(message);
    } catch (error) {
      // the handler classifies its own errors; this is the safety net
      this.logger.error({ err: error, messageId: message.messageId }, 'handler threw; will retry');
      result = { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      await heartbeat.stop();
    }
    if (entry.released) {
      return;
    }
    await this.settle(message, result);
  }

  private async settle(message: QueueMessage, result: ConsumeResult): Promise<void> {
    const { retry } = this.config.consumer;
    try {
      switch (result.action) {
        case 'delete':
          await this.queue.delete(message.receiptHandle);
          return;
        case 'retry': {
          const delaySeconds = retryDelaySeconds(retry, message.receiveCount);
          this.logger.info(
            { messageId: message.messageId, receiveCount: message.receiveCount, delaySeconds, reason: result.reason },
            'retrying later',
          );
          await this.queue.changeVisibility(message.receiptHandle, delaySeconds);
          return;
        }
        case 'dead-letter':
          this.logger.warn(
            { messageId: message.messageId, receiveCount: message.receiveCount, reason: result.reason },
            'message cannot succeed; letting it reach the DLQ',
          );
          await this.queue.changeVisibility(message.receiptHandle, retry.poisonDelaySeconds);
          return;
      }
    } catch (error) {
      // the message simply reappears after its visibility timeout
      this.logger.warn({ err: error, messageId: message.messageId }, 'could not settle message');
    }
  }

  /** Renews the message's visibility every half timeout until stopped; stop() waits for a renewal under way. */
  private startHeartbeat(entry: InFlight): { stop(): Promise<void> } {
    const { visibilityTimeoutSeconds } = this.config.consumer;
    let pending: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        pending = this.queue
          .changeVisibility(entry.message.receiptHandle, visibilityTimeoutSeconds)
          .catch((error: unknown) =>
            this.logger.warn({ err: error, messageId: entry.message.messageId }, 'could not extend visibility'),
          );
      },
      (visibilityTimeoutSeconds * 1000) / 2,
    );
    return {
      async stop() {
        clearInterval(timer);
        await pending;
      },
    };
  }
}
