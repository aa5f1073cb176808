import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import {
  CancelMarkers,
  createS3Client,
  createSageMakerRuntimeClient,
  createSqsClient,
  InferenceClient,
  MessageQueue,
  ObjectStore,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig, type ResourcesConfig } from '#libs/config';
import { isCancellationFailure, parseSageMakerNotification, type SageMakerNotification } from '#libs/contracts';
import { codecFor, ModelCatalog } from '#libs/models';
import { waitFor } from '#libs/testing';
import { modelStarted } from '../support/model-started.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** 30 steps of about 315 ms: one SDXL 1024x1024 job takes about 9.4 s when nothing stops it. */
const SLOW_STUB = { STUB_MS_PER_STEP_MEGAPIXEL: '300', STUB_CANCEL_CHECK_INTERVAL_MS: '50' };

describe('the stub stops on a cancel marker (fauxqs S3 and SNS, no worker)', () => {
  let stack: TestStack;
  let resources: ResourcesConfig;
  let objects: ObjectStore;
  let markers: CancelMarkers;
  let inference: InferenceClient;
  let queue: MessageQueue;
  const catalog = ModelCatalog.builtIn();
  const model = catalog.get('stable-diffusion-xl');

  beforeAll(async () => {
    stack = await startTestStack(SLOW_STUB);
    const aws = loadAwsConfig(stack.env);
    resources = loadResourcesConfig(stack.env);
    objects = new ObjectStore(createS3Client(aws));
    markers = new CancelMarkers(objects, resources.requestsBucket);
    inference = new InferenceClient(createSageMakerRuntimeClient(aws));
    queue = new MessageQueue(createSqsClient(aws), resources.notificationsQueueUrl);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function invoke(): Promise<{ inferenceId: string; outputLocation: string }> {
    const inferenceId = ulid();
    const payload = codecFor(model.codec).encodeRequest(catalog.resolve({ prompt: 'a slow lighthouse', seed: 1 }));
    const key = `requests/${inferenceId}.json`;
    await objects.put({ bucket: resources.requestsBucket, key }, payload.body, payload.contentType);
    const accepted = await inference.invokeAsync({
      endpointName: model.endpointName,
      inferenceId,
      inputLocation: `s3://${resources.requestsBucket}/${key}`,
      contentType: payload.contentType,
      accept: payload.accept,
    });
    return { inferenceId, outputLocation: accepted.outputLocation };
  }

  async function notificationOf(inferenceId: string): Promise<SageMakerNotification> {
    return waitFor(
      async () => {
        for (const message of await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })) {
          await queue.delete(message.receiptHandle);
          const notification = parseSageMakerNotification(message.body);
          if (notification.inferenceId === inferenceId) {
            return notification;
          }
        }
        return undefined;
      },
      { timeoutMs: 15_000, description: `the notification of ${inferenceId}` },
    );
  }

  it('sees a marker left while it runs at its next step, stops early and reports a cancellation failure', async () => {
    const running = modelStarted();
    const { inferenceId, outputLocation } = await invoke();
    await running;
    await markers.place(inferenceId, new Date().toISOString());

    const notification = await notificationOf(inferenceId);

    expect(notification.invocationStatus).toBe('Failed');
    expect(isCancellationFailure(notification.failureReason)).toBe(true);
    const step = Number(/after (\d+) of 30 steps/.exec(notification.failureReason ?? '')?.[1]);
    expect(step).toBeGreaterThanOrEqual(1);
    expect(step).toBeLessThan(30);
    // the output was never written; the failure object holds the model's answer
    await expect(
      objects.exists({ bucket: resources.outputsBucket, key: outputLocation.split('/').slice(3).join('/') }),
    ).resolves.toBe(false);
    const failure = await objects.get({
      bucket: resources.outputsBucket,
      key: notification.failureLocation!.split('/').slice(3).join('/'),
    });
    expect(isCancellationFailure(failure.body.toString('utf8'))).toBe(true);
  });

  it('does not start an invocation whose marker is already there', async () => {
    const inferenceId = ulid();
    await markers.place(inferenceId, new Date().toISOString());
    const payload = codecFor(model.codec).encodeRequest(catalog.resolve({ prompt: 'never', seed: 1 }));
    const key = `requests/${inferenceId}.json`;
    await objects.put({ bucket: resources.requestsBucket, key }, payload.body, payload.contentType);
    await inference.invokeAsync({
      endpointName: model.endpointName,
      inferenceId,
      inputLocation: `s3://${resources.requestsBucket}/${key}`,
      contentType: payload.contentType,
      accept: payload.accept,
    });
    const notification = await notificationOf(inferenceId);
    expect(notification.failureReason).toMatch(/Inference canceled before it started/);
    expect(Date.parse(notification.eventTime!) - Date.parse(notification.receivedTime!)).toBeLessThan(500);
  });
});
