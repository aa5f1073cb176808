import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { loadAwsConfig } from '#libs/config';
import { waitFor } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { createSqsClient } from '#libs/aws';
import { MessageQueue } from '#libs/aws';

describe('MessageQueue (fauxqs SQS)', () => {
  let queue: MessageQueue;

  let stack: TestStack;

  afterAll(async () => {
    await stack?.stop();
  });

  beforeAll(async () => {
    stack = await startTestStack();
    const client = createSqsClient(loadAwsConfig(stack.env));
    // a queue of its own, so the e2e workers consuming the notifications queue do not interfere
    const created = await client.send(new CreateQueueCommand({ QueueName: `adapter-test-${ulid()}` }));
    queue = new MessageQueue(client, created.QueueUrl!);
    await client.send(new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: 'first' }));
  });

  it('receives, hides, releases and deletes messages', async () => {
    const [message] = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 30 });
    expect(message).toMatchObject({ body: 'first', receiveCount: 1 });
    await expect(queue.depth()).resolves.toEqual({ visible: 0, inFlight: 1 });

    await queue.changeVisibility(message!.receiptHandle, 0);
    const again = await waitFor(async () => (await queue.receive({ maxMessages: 1, waitTimeSeconds: 1 }))[0], {
      description: 'the released message',
    });
    expect(again).toMatchObject({ body: 'first', receiveCount: 2 });

    await queue.delete(again.receiptHandle);
    await expect(queue.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
  });
});
