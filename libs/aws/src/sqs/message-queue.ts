import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { rethrowAws } from '../errors/dependency.error.js';

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has handed this message out, this time included. */
  receiveCount: number;
}

export interface ReceiveOptions {
  maxMessages: number;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds?: number;
}

/** One SQS queue: long-poll receive, delete, and visibility changes for retry backoff. */
export class MessageQueue {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
  ) {}

  async receive(options: ReceiveOptions, abortSignal?: AbortSignal): Promise<QueueMessage[]> {
    try {
      const result = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(10, Math.max(1, options.maxMessages)),
          WaitTimeSeconds: options.waitTimeSeconds,
          ...(options.visibilityTimeoutSeconds !== undefined
            ? { VisibilityTimeout: options.visibilityTimeoutSeconds }
            : {}),
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
        abortSignal ? { abortSignal } : {},
      );
      return (result.Messages ?? []).flatMap((message) =>
        message.MessageId && message.ReceiptHandle && message.Body !== undefined
          ? [
              {
                messageId: message.MessageId,
                receiptHandle: message.ReceiptHandle,
                body: message.Body,
                receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
              },
            ]
          : [],
      );
    } catch (error) {
      return rethrowAws('SQS', error);
    }
  }

  /** Sends a message, hidden for `delaySeconds` first (SQS allows 0–900). */
  async send(body: string, delaySeconds = 0): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: body,
          ...(delaySeconds > 0 ? { DelaySeconds: Math.min(900, Math.ceil(delaySeconds)) } : {}),
        }),
      );
    } catch (error) {
      rethrowAws('SQS', error);
    }
  }

  async delete(receiptHandle: string): Promise<void> {
    try {
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
    } catch (error) {
      rethrowAws('SQS', error);
    }
  }

  /** Makes the message visible again after `seconds` (0 = now): the retry backoff. */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      rethrowAws('SQS', error);
    }
  }

  /** Visible + in-flight message counts. */
  async depth(): Promise<{ visible: number; inFlight: number }> {
    const result = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(result.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }
}
