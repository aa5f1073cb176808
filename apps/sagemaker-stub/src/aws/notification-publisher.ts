import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsConfig } from '#libs/config';
import type { StaticCredentials } from './credentials.js';

/** Publishes a SageMaker notification (a JSON string) to an SNS topic, with no Subject, as SageMaker does. */
export interface NotificationPublisher {
  publish(topicArn: string, message: string): Promise<void>;
  close(): void;
}

export class SnsNotificationPublisher implements NotificationPublisher {
  private readonly client: SNSClient;

  constructor(aws: AwsConfig, credentials?: StaticCredentials) {
    this.client = new SNSClient({
      region: aws.region,
      ...(aws.endpoints.sns ? { endpoint: aws.endpoints.sns } : {}),
      ...(credentials ? { credentials } : {}),
    });
  }

  async publish(topicArn: string, message: string): Promise<void> {
    await this.client.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  }

  close(): void {
    this.client.destroy();
  }
}
