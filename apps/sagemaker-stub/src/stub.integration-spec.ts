import { randomUUID } from 'node:crypto';
import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
  SageMakerRuntimeClient,
  type SageMakerRuntimeServiceException,
} from '@aws-sdk/client-sagemaker-runtime';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_LOCAL_PORTS, localEnvironment, localResourceNames, sqsQueueUrl } from '#libs/config';
import { parseSageMakerNotification, type JobRequest } from '#libs/contracts';
import { BUILT_IN_MODELS, codecFor, ModelCatalog, type ModelDefinition } from '#libs/models';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { pino } from 'pino';
import sharp from 'sharp';
import { loadStubConfig } from './config.js';
import { type RunningStub, startStub } from './server.js';

const PREFIX = 'stub-it';
const names = localResourceNames(PREFIX);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const sd21 = BUILT_IN_MODELS.find((m) => m.id === 'stable-diffusion-2-1') as ModelDefinition;
const realtimeModel: ModelDefinition = {
  ...sd21,
  id: 'sd21-realtime',
  endpointName: 'imggen-sd21-realtime',
  mode: 'realtime',
  default: false,
};
const catalog = ModelCatalog.fromDefinitions([...BUILT_IN_MODELS, realtimeModel]);

let fauxqs: FauxqsServer;
let stub: RunningStub;
let runtime: SageMakerRuntimeClient;
let s3: S3Client;
let sqs: SQSClient;
let successQueueUrl: string;
let errorQueueUrl: string;

/** Messages already received but meant for another test, by inference id. */
const received = new Map<string, Record<string, unknown>>();

interface Delivery {
  envelope: Record<string, unknown>;
  message: Record<string, unknown>;
  raw: string;
}

/** Polls the queue (bounded) until the notification of `inferenceId` arrives; returns the SNS envelope and message. */
async function waitForNotification(queueUrl: string, inferenceId: string, timeoutMs = 20_000): Promise<Delivery> {
  const deadline = Date.now() + timeoutMs;
  const key = `${queueUrl}|${inferenceId}`;
  while (Date.now() < deadline) {
    const found = received.get(key);
    if (found) {
      received.delete(key);
      const raw = found.Message as string;
      return { envelope: found, message: JSON.parse(raw) as Record<string, unknown>, raw };
    }
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of Messages) {
      const envelope = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
      const inner = JSON.parse(envelope.Message as string) as { inferenceId: string };
      received.set(`${queueUrl}|${inner.inferenceId}`, envelope);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  throw new Error(`no notification for ${inferenceId} on ${queueUrl} within ${timeoutMs} ms`);
}

function splitS3(uri: string): { Bucket: string; Key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match?.[1] || !match[2]) {
    throw new Error(`not an s3 uri: ${uri}`);
  }
  return { Bucket: match[1], Key: match[2] };
}

async function getObject(uri: string): Promise<{ body: Buffer; contentType: string | undefined }> {
  const object = await s3.send(new GetObjectCommand(splitS3(uri)));
  return {
    body: Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
    contentType: object.ContentType,
  };
}

/** Resolves the request, writes its payload to the requests bucket and invokes the endpoint asynchronously. */
async function invokeAsync(request: JobRequest) {
  const params = catalog.resolve(request);
  const model = catalog.get(params.modelId);
  const payload = codecFor(model.codec).encodeRequest(params);
  const inferenceId = randomUUID();
  const key = `requests/${inferenceId}.json`;
  await s3.send(new PutObjectCommand({ Bucket: names.requestsBucket, Key: key, Body: payload.body }));
  const inputLocation = `s3://${names.requestsBucket}/${key}`;
  const output = await runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: model.endpointName,
      InputLocation: inputLocation,
      ContentType: payload.contentType,
      Accept: payload.accept,
      InferenceId: inferenceId,
    }),
  );
  return { params, model, payload, inferenceId, inputLocation, output };
}

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  const awsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  fauxqs.createBucket(names.requestsBucket);
  fauxqs.createBucket(names.outputsBucket);
  fauxqs.createTopic(names.successTopicName);
  fauxqs.createTopic(names.errorTopicName);
  fauxqs.createQueue(`${PREFIX}-success-q`);
  fauxqs.createQueue(`${PREFIX}-error-q`);
  fauxqs.subscribe({ topic: names.successTopicName, queue: `${PREFIX}-success-q` });
  fauxqs.subscribe({ topic: names.errorTopicName, queue: `${PREFIX}-error-q` });
  successQueueUrl = sqsQueueUrl(awsEndpoint, `${PREFIX}-success-q`);
  errorQueueUrl = sqsQueueUrl(awsEndpoint, `${PREFIX}-error-q`);

  const env = {
    ...localEnvironment({ ports: { ...DEFAULT_LOCAL_PORTS, fauxqs: fauxqs.port, stub: 0 }, prefix: PREFIX }),
    STUB_BASE_INFERENCE_MS: '0',
    STUB_MS_PER_STEP_MEGAPIXEL: '0',
    STUB_COLD_START_MS: '0',
    STUB_SCALE_TO_ZERO_AFTER_MS: '0',
    STUB_INSTANCE_CONCURRENCY: '2',
  };
  stub = await startStub({
    config: loadStubConfig(env),
    catalog,
    logger: pino({ level: 'silent' }),
  });
  runtime = new SageMakerRuntimeClient({ region, endpoint: stub.url, credentials });
  s3 = new S3Client({ region, endpoint: awsEndpoint, forcePathStyle: true, credentials });
  sqs = new SQSClient({ region, endpoint: awsEndpoint, credentials });
});

afterAll(async () => {
  runtime?.destroy();
  s3?.destroy();
  sqs?.destroy();
  await stub?.close();
  await fauxqs?.stop();
});

describe('sagemaker-stub against fauxqs with the real SageMakerRuntimeClient', () => {
  it.each([
    { modelId: 'stable-diffusion-xl', width: 768, height: 512, contentType: 'application/json', format: 'png' },
    { modelId: 'stable-diffusion-2-1', width: 256, height: 320, contentType: 'application/json;jpeg', format: 'jpeg' },
    { modelId: 'stability-sdxl', width: 1344, height: 768, contentType: 'application/json;png', format: 'png' },
    { modelId: 'imggen-sdxl', width: 768, height: 512, contentType: 'application/json', format: 'png' },
    { modelId: 'sdxl-turbo', width: 512, height: 512, contentType: 'application/json', format: 'png' },
  ])('runs $modelId asynchronously end to end', async ({ modelId, width, height, contentType, format }) => {
    const numImages = ['stable-diffusion-2-1', 'imggen-sdxl'].includes(modelId) ? 2 : 1;
    const { model, payload, inferenceId, inputLocation, output } = await invokeAsync({
      prompt: `A lighthouse at dusk <${modelId}> & "friends"`,
      negativePrompt: 'blurry',
      modelId,
      width,
      height,
      numImages,
      steps: modelId === 'sdxl-turbo' ? 1 : 10,
      seed: 42,
    });

    expect(output.$metadata.httpStatusCode).toBe(202);
    expect(output.$metadata.requestId).toMatch(new RegExp(`^${UUID}$`));
    expect(output.InferenceId).toBe(inferenceId);
    const outputMatch = new RegExp(`^s3://${names.outputsBucket}/async-out/(${UUID})\\.out$`).exec(
      output.OutputLocation ?? '',
    );
    expect(outputMatch).not.toBeNull();
    const objectId = outputMatch?.[1] ?? '';
    expect(objectId).not.toBe(inferenceId);
    expect(output.FailureLocation).toBe(`s3://${names.outputsBucket}/async-failures/${objectId}-error.out`);

    const { envelope, message, raw } = await waitForNotification(successQueueUrl, inferenceId);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn: `arn:aws:sns:${region}:000000000000:${names.successTopicName}`,
    });
    expect(envelope.Subject ?? undefined).toBeUndefined();
    expect(message).toEqual({
      awsRegion: region,
      eventTime: expect.stringMatching(ISO_TIME),
      receivedTime: expect.stringMatching(ISO_TIME),
      invocationStatus: 'Completed',
      requestParameters: {
        accept: payload.accept,
        contentType: payload.contentType,
        endpointName: model.endpointName,
        inputLocation,
      },
      responseParameters: { contentType, outputLocation: output.OutputLocation },
      inferenceId,
      eventVersion: '1.0',
      eventSource: 'aws:sagemaker',
      eventName: 'InferenceResult',
    });
    // Same field order as the captured notification (reference/aws.md section 2.1).
    expect(Object.keys(message)).toEqual([
      'awsRegion',
      'eventTime',
      'receivedTime',
      'invocationStatus',
      'requestParameters',
      'responseParameters',
      'inferenceId',
      'eventVersion',
      'eventSource',
      'eventName',
    ]);
    expect(Date.parse(message.eventTime as string)).toBeGreaterThanOrEqual(Date.parse(message.receivedTime as string));
    expect(parseSageMakerNotification(JSON.stringify(envelope)).inferenceId).toBe(inferenceId);
    expect(raw).not.toContain('failureReason');

    const object = await getObject(output.OutputLocation ?? '');
    expect(object.contentType).toBe(contentType);
    const { images } = codecFor(model.codec).decodeResponse(object.body, object.contentType);
    expect(images).toHaveLength(numImages);
    for (const image of images) {
      if (image.outcome !== 'ok') {
        throw new Error(`image not delivered: ${image.reason}`);
      }
      expect(image.format).toBe(format);
      const metadata = await sharp(image.data).metadata();
      expect([metadata.width, metadata.height, metadata.format]).toEqual([width, height, format]);
    }
  });

  it('reports a model failure with the error notification and the failure object', async () => {
    const { inferenceId, inputLocation, model, output } = await invokeAsync({
      prompt: 'please [fail] now',
      modelId: 'stable-diffusion-2-1',
    });
    expect(output.$metadata.httpStatusCode).toBe(202);
    const { envelope, message } = await waitForNotification(errorQueueUrl, inferenceId);
    expect(envelope.TopicArn).toBe(`arn:aws:sns:${region}:000000000000:${names.errorTopicName}`);
    expect(message).toEqual({
      awsRegion: region,
      eventTime: expect.stringMatching(ISO_TIME),
      receivedTime: expect.stringMatching(ISO_TIME),
      invocationStatus: 'Failed',
      failureReason: expect.stringMatching(
        /^ClientError: Received server error \(500\) from model with message ".*\[fail\].*"\. See the SageMaker Endpoint logs/,
      ),
      failureLocation: output.FailureLocation,
      requestParameters: {
        accept: 'application/json;jpeg',
        contentType: 'application/json',
        endpointName: model.endpointName,
        inputLocation,
      },
      responseParameters: { failureLocation: output.FailureLocation },
      inferenceId,
      eventVersion: '1.0',
      eventSource: 'aws:sagemaker',
      eventName: 'InferenceResult',
    });
    const failure = await getObject(output.FailureLocation ?? '');
    expect(JSON.parse(failure.body.toString())).toMatchObject({
      code: 500,
      message: expect.stringContaining('[fail]'),
    });
  });

  it('reports a missing input object as a failure', async () => {
    const inferenceId = randomUUID();
    await runtime.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: 'imggen-sdxl-async',
        InputLocation: `s3://${names.requestsBucket}/requests/missing.json`,
        InferenceId: inferenceId,
      }),
    );
    const { message } = await waitForNotification(errorQueueUrl, inferenceId);
    expect(message.invocationStatus).toBe('Failed');
    expect(message.failureReason).toMatch(/^ClientError: Failed to download the input from s3:\/\/.*missing\.json/);
  });

  it('accepts an inline Body and generates an inference id when none is given', async () => {
    const params = catalog.resolve({ prompt: 'inline', modelId: 'stable-diffusion-xl', width: 512, height: 512 });
    const payload = codecFor('jumpstart-sdxl').encodeRequest(params);
    const output = await runtime.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: 'imggen-sdxl-async',
        Body: payload.body,
        ContentType: payload.contentType,
        Accept: payload.accept,
      }),
    );
    expect(output.InferenceId).toMatch(new RegExp(`^${UUID}$`));
    const { message } = await waitForNotification(successQueueUrl, output.InferenceId ?? '');
    expect(message.requestParameters).toEqual({
      accept: 'application/json',
      contentType: 'application/json',
      endpointName: 'imggen-sdxl-async',
    });
  });

  it('answers an unknown endpoint with ValidationError', async () => {
    const error = await runtime
      .send(new InvokeEndpointAsyncCommand({ EndpointName: 'nope', InputLocation: 's3://b/k' }))
      .then(
        () => undefined,
        (caught: unknown) => caught as SageMakerRuntimeServiceException,
      );
    expect(error?.name).toBe('ValidationError');
    expect(error?.message).toBe('Endpoint nope of account 000000000000 not found.');
    expect(error?.$fault).toBe('client');
    expect(error?.$metadata.httpStatusCode).toBe(400);
  });

  it('serves real-time InvokeEndpoint and reports model errors as ModelError', async () => {
    const params = catalog.resolve({ prompt: 'real time', modelId: 'sd21-realtime', width: 384, height: 256 });
    const payload = codecFor('jumpstart-sd').encodeRequest(params);
    const output = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: 'imggen-sd21-realtime',
        Body: payload.body,
        ContentType: payload.contentType,
        Accept: payload.accept,
      }),
    );
    expect(output.ContentType).toBe('application/json;jpeg');
    expect(output.InvokedProductionVariant).toBe('AllTraffic');
    const [image] = codecFor('jumpstart-sd').decodeResponse(Buffer.from(output.Body), output.ContentType).images;
    if (image?.outcome !== 'ok') {
      throw new Error('no image in the real-time answer');
    }
    const metadata = await sharp(image.data).metadata();
    expect([metadata.width, metadata.height, metadata.format]).toEqual([384, 256, 'jpeg']);

    const failing = codecFor('jumpstart-sd').encodeRequest({ ...params, prompt: '[fail]' });
    const error = await runtime
      .send(
        new InvokeEndpointCommand({
          EndpointName: 'imggen-sd21-realtime',
          Body: failing.body,
          ContentType: failing.contentType,
          Accept: failing.accept,
        }),
      )
      .then(
        () => undefined,
        (caught: unknown) => caught as SageMakerRuntimeServiceException & { OriginalStatusCode?: number },
      );
    expect(error?.name).toBe('ModelError');
    expect(error?.OriginalStatusCode).toBe(500);
    expect(error?.message).toMatch(/^Received server error \(500\) from primary with message/);
    expect(error?.$metadata.attempts).toBe(1);
  });

  it('answers DescribeEndpoint over the JSON 1.1 protocol', async () => {
    const response = await fetch(`${stub.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.DescribeEndpoint' },
      body: JSON.stringify({ EndpointName: 'imggen-sdxl-async' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      EndpointName: 'imggen-sdxl-async',
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentInstanceCount: expect.any(Number) }],
    });
  });

  it('becomes idle once every invocation is done', async () => {
    await expect(stub.idle()).resolves.toBeUndefined();
  });
});
