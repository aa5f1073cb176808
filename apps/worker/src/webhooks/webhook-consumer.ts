import type { Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type MessageQueue, WebhookDeliveryRepository } from '#libs/aws';
import { WEBHOOK_QUEUE, WebhookSecrets } from '#libs/webhooks';
import type { WorkerConfig } from '../config/worker.config.js';
import { PollMonitor } from '../health/poll-monitor.js';
import { NotificationConsumer } from '../notifications/notification-consumer.js';
import { WebhookDeliveryHandler } from './webhook-delivery.handler.js';
import { WebhookSender } from './webhook-sender.js';

/** The consumer of the webhook queue: the notification consumer's loop, with the webhook delivery handler. */
export const WEBHOOK_CONSUMER = Symbol('WEBHOOK_CONSUMER');

export function webhookConsumerProviders(config: WorkerConfig): Provider[] {
  const { webhooks } = config;
  return [
    {
      provide: WebhookSender,
      useFactory: () =>
        new WebhookSender({ policy: { allowLoopback: webhooks.allowLoopback }, timeoutMs: webhooks.timeoutMs }),
    },
    {
      provide: WebhookDeliveryHandler,
      inject: [WEBHOOK_QUEUE, WebhookDeliveryRepository, WebhookSecrets, WebhookSender, PinoLogger],
      useFactory: (
        queue: MessageQueue,
        log: WebhookDeliveryRepository,
        secrets: WebhookSecrets,
        sender: WebhookSender,
        logger: PinoLogger,
      ) => {
        logger.setContext(WebhookDeliveryHandler.name);
        return new WebhookDeliveryHandler(
          queue,
          log,
          secrets,
          sender,
          {
            retry: webhooks.retry,
            logRetentionSeconds: webhooks.logRetentionSeconds,
          },
          logger,
        );
      },
    },
    {
      provide: WEBHOOK_CONSUMER,
      inject: [WEBHOOK_QUEUE, WebhookDeliveryHandler, PinoLogger],
      useFactory: (queue: MessageQueue, handler: WebhookDeliveryHandler, logger: PinoLogger) =>
        new NotificationConsumer(queue, handler, new PollMonitor(config.health), logger, {
          consumer: { ...config.consumer, concurrency: webhooks.concurrency },
        }),
    },
  ];
}
