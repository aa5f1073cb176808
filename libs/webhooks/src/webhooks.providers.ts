import type { Provider } from '@nestjs/common';
import {
  type AwsAdaptersConfig,
  AwsClients,
  createSqsClient,
  type DataKeyProvider,
  openKmsDataKeys,
  MessageQueue,
  WebhookDeliveryRepository,
  WebhookSecretRepository,
} from '#libs/aws';
import { WebhookEvents } from './events/webhook-events.js';
import { LocalKeyFileDataKeys } from './secrets/local-data-keys.js';
import { SecretEnvelope } from './secrets/secret-envelope.js';
import { WebhookSecrets } from './secrets/webhook-secrets.js';
import type { WebhooksConfig } from './webhooks.config.js';

export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');
/** The webhook delivery queue (a MessageQueue on JOBS_WEBHOOK_QUEUE_URL). */
export const WEBHOOK_QUEUE = Symbol('WEBHOOK_QUEUE');
export const DATA_KEY_PROVIDER = Symbol('DATA_KEY_PROVIDER');

export type WebhooksProvidersConfig = AwsAdaptersConfig & { webhooks: WebhooksConfig };

/** The data keys behind the secrets: KMS when WEBHOOKS_KMS_KEY_ID is set (AWS), the local key file otherwise. */
export async function createDataKeyProvider(config: WebhooksProvidersConfig): Promise<DataKeyProvider> {
  const { kmsKeyId, localKeyFile } = config.webhooks;
  return kmsKeyId ? openKmsDataKeys(config.aws, kmsKeyId) : LocalKeyFileDataKeys.open(localKeyFile);
}

/** What the api and the worker share: the webhook queue, the event log, the secrets and WebhookEvents. */
export function webhookProviders(config: WebhooksProvidersConfig): Provider[] {
  return [
    { provide: WEBHOOKS_CONFIG, useValue: config.webhooks },
    {
      provide: WEBHOOK_QUEUE,
      // its own SQS client: the shared one's long-poll allowance is the notification consumer's wait, not this queue's
      useFactory: () => new MessageQueue(createSqsClient(config.aws, config.sqs), config.resources.webhookQueueUrl),
    },
    {
      provide: WebhookDeliveryRepository,
      inject: [AwsClients],
      useFactory: (clients: AwsClients) =>
        new WebhookDeliveryRepository(clients.documents, config.resources.accountsTable),
    },
    { provide: DATA_KEY_PROVIDER, useFactory: () => createDataKeyProvider(config) },
    {
      provide: WebhookSecrets,
      inject: [AwsClients, DATA_KEY_PROVIDER],
      useFactory: (clients: AwsClients, keys: DataKeyProvider) =>
        new WebhookSecrets(
          new WebhookSecretRepository(clients.documents, config.resources.accountsTable),
          new SecretEnvelope(keys),
          { rotationOverlapSeconds: config.webhooks.rotationOverlapSeconds },
        ),
    },
    {
      provide: WebhookEvents,
      inject: [WebhookDeliveryRepository, WEBHOOK_QUEUE],
      useFactory: (log: WebhookDeliveryRepository, queue: MessageQueue) =>
        new WebhookEvents(log, queue, { retentionSeconds: config.webhooks.logRetentionSeconds }),
    },
  ];
}
