import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsClientOptions } from '#libs/aws';
import type { AwsConfig } from '#libs/config';

/** Publishes a SageMaker notification (a JSON string) to an SNS topic, with no Subject, as SageMaker does. */
export interface NotificationPublisher {
  publish(topicArn: string, message: string): Promise<void>;
  close(): void;
}

export class SnsNotificationPublisher implements NotificationPublisher {
  private readonly client: SNSClient;

  constructor(aws: AwsConfig) {
    this.client = new SNSClient(awsClientOptions(aws, 'sns'));
  }

  async publish(topicArn: string, message: string): Promise<void> {
    await this.client.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  }

  close(): void {
    this.client.destroy();
  }
}
