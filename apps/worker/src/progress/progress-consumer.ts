import type { OnApplicationShutdown } from '@nestjs/common';
import type { NotificationConsumer } from '../notifications/notification-consumer.js';

/**
 * The second consumer of the worker: the progress queue, relayed by ProgressHandler. Absent (a no-op) when
 * JOBS_PROGRESS_QUEUE_URL is not configured.
 */
export class ProgressConsumer implements OnApplicationShutdown {
  constructor(private readonly consumer: NotificationConsumer | undefined) {}

  get enabled(): boolean {
    return this.consumer !== undefined;
  }

  start(): void {
    this.consumer?.start();
  }

  stop(): Promise<void> {
    return this.consumer?.stop() ?? Promise.resolve();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
