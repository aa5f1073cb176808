import type { Env } from '#libs/config';
import { BUILT_IN_MODELS, ModelCatalog, type ModelDefinition } from '#libs/models';
import { pino } from 'pino';
import { loadStubConfig } from '../config.js';
import { type Clock, flushPending, ManualClock } from '../inference/clock.js';
import { buildStub, type StubApp } from '../server.js';
import { MemoryPayloadStore, MemoryPublisher } from '../testing/memory-adapters.js';

const SUCCESS_TOPIC = 'arn:aws:sns:us-east-1:000000000000:success';
const ERROR_TOPIC = 'arn:aws:sns:us-east-1:000000000000:error';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const sdxlRequest = Buffer.from(
  JSON.stringify({ text_prompts: [{ text: 'a cat' }], width: 256, height: 256, steps: 10, seed: 3 }),
);

const realtimeModel: ModelDefinition = {
  ...(BUILT_IN_MODELS[0] as ModelDefinition),
  id: 'sdxl-realtime',
  endpointName: 'imggen-sdxl-realtime',
  mode: 'realtime',
  default: false,
};

interface Harness {
  stub: StubApp;
  store: MemoryPayloadStore;
  publisher: MemoryPublisher;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
  json: () => unknown;
}

interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: Buffer | string;
}

const urls = new WeakMap<StubApp, string>();

/** Polls a condition (bounded), letting pending I/O run between checks. */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await flushPending(1);
  }
}

/**
 * Sends a request to the stub listening on 127.0.0.1. (Fastify's inject() cannot be used here: light-my-request
 * needs the ESM-only cookie@2, which jest's module runtime cannot require on Node 22.)
 */
async function send(stub: StubApp, request: HttpRequest): Promise<HttpResponse> {
  const base = urls.get(stub);
  if (!base) {
    throw new Error('stub not listening');
  }
  const response = await fetch(`${base}${request.url}`, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.payload !== undefined ? { body: request.payload } : {}),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body,
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}

const open: StubApp[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((stub) => stub.close()));
});

async function harness(env: Env = {}, clock?: Clock): Promise<Harness> {
  const store = new MemoryPayloadStore();
  const publisher = new MemoryPublisher();
  const config = loadStubConfig({
    STUB_OUTPUT_S3_URI: 's3://outputs/async-out/',
    STUB_FAILURE_S3_URI: 's3://outputs/async-failures/',
    JOBS_SUCCESS_TOPIC_ARN: SUCCESS_TOPIC,
    JOBS_ERROR_TOPIC_ARN: ERROR_TOPIC,
    STUB_BASE_INFERENCE_MS: '0',
    STUB_MS_PER_STEP_MEGAPIXEL: '0',
    STUB_COLD_START_MS: '0',
    ...env,
  });
  const stub = buildStub({
    config,
    catalog: ModelCatalog.fromDefinitions([...BUILT_IN_MODELS, realtimeModel]),
    logger: pino({ level: 'silent' }),
    payloadStore: store,
    publisher,
    ...(clock ? { clock } : {}),
  });
  open.push(stub);
  await stub.app.listen({ host: '127.0.0.1', port: 0 });
  const address = stub.app.server.address();
  urls.set(stub, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  return { stub, store, publisher };
}

function invokeAsync(
  stub: StubApp,
  endpoint: string,
  headers: Record<string, string>,
  payload?: Buffer,
): Promise<HttpResponse> {
  return send(stub, {
    method: 'POST',
    url: `/endpoints/${endpoint}/async-invocations`,
    headers: { 'content-type': 'application/octet-stream', ...headers },
    ...(payload ? { payload } : {}),
  });
}

function expectValidationError(response: HttpResponse, message: string | RegExp): void {
  expect(response.statusCode).toBe(400);
  expect(response.headers['x-amzn-errortype']).toBe('ValidationError');
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.headers['x-amzn-requestid']).toMatch(new RegExp(`^${UUID}$`));
  const body = response.json() as { __type: string; message: string; Message: string };
  expect(body.__type).toBe('ValidationError');
  expect(body.message).toMatch(message);
  expect(body.Message).toBe(body.message);
}

describe('InvokeEndpointAsync', () => {
  it('answers 202 with fresh output/failure locations, then writes the output and notifies', async () => {
    const { stub, store, publisher } = await harness();
    store.objects.set('s3://requests/requests/job-1.json', { body: sdxlRequest, contentType: 'application/json' });
    const response = await invokeAsync(stub, 'imggen-sdxl-async', {
      'x-amzn-sagemaker-inputlocation': 's3://requests/requests/job-1.json',
      'x-amzn-sagemaker-inference-id': 'job-1',
      'x-amzn-sagemaker-content-type': 'application/json',
      'x-amzn-sagemaker-accept': 'application/json',
      'x-amzn-sagemaker-requestttlseconds': '3600',
      'x-amzn-sagemaker-invocationtimeoutseconds': '900',
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toEqual({ InferenceId: 'job-1' });
    const output = response.headers['x-amzn-sagemaker-outputlocation'] as string;
    const id = new RegExp(`^s3://outputs/async-out/(${UUID})\\.out$`).exec(output)?.[1];
    expect(id).toBeDefined();
    expect(response.headers['x-amzn-sagemaker-failurelocation']).toBe(`s3://outputs/async-failures/${id}-error.out`);

    await stub.idle();
    const object = store.objects.get(output);
    expect(object?.contentType).toBe('application/json');
    expect(Object.keys(JSON.parse(object?.body.toString() ?? '{}') as object)).toEqual(['generated_image']);
    expect(publisher.published).toEqual([
      {
        topicArn: SUCCESS_TOPIC,
        message: expect.objectContaining({
          invocationStatus: 'Completed',
          inferenceId: 'job-1',
          requestParameters: {
            accept: 'application/json',
            contentType: 'application/json',
            endpointName: 'imggen-sdxl-async',
            inputLocation: 's3://requests/requests/job-1.json',
          },
          responseParameters: { contentType: 'application/json', outputLocation: output },
        }),
      },
    ]);
  });

  it('ignores the body and its content type when InputLocation is given', async () => {
    const { stub, store, publisher } = await harness();
    store.objects.set('s3://requests/in.json', { body: sdxlRequest, contentType: 'application/json' });
    const response = await invokeAsync(
      stub,
      'imggen-sdxl-async',
      { 'x-amzn-sagemaker-inputlocation': 's3://requests/in.json', 'content-type': 'text/plain' },
      Buffer.from('not the payload'),
    );
    expect(response.statusCode).toBe(202);
    await stub.idle();
    expect(publisher.published[0]?.message.invocationStatus).toBe('Completed');
  });

  it('generates an inference id when none is given', async () => {
    const { stub } = await harness();
    const response = await invokeAsync(stub, 'imggen-sdxl-async', {}, sdxlRequest);
    expect(response.statusCode).toBe(202);
    expect((response.json() as { InferenceId: string }).InferenceId).toMatch(new RegExp(`^${UUID}$`));
  });

  it('fails on [fail]: failure object + error notification naming the trigger', async () => {
    const { stub, store, publisher } = await harness();
    const payload = Buffer.from(JSON.stringify({ text_prompts: [{ text: 'x [fail]' }], width: 256, height: 256 }));
    const response = await invokeAsync(
      stub,
      'imggen-sdxl-async',
      { 'x-amzn-sagemaker-inference-id': 'job-f' },
      payload,
    );
    const failureLocation = response.headers['x-amzn-sagemaker-failurelocation'] as string;
    await stub.idle();
    expect(store.objects.has(response.headers['x-amzn-sagemaker-outputlocation'] as string)).toBe(false);
    expect(JSON.parse(store.objects.get(failureLocation)?.body.toString() ?? '{}')).toEqual({
      code: 500,
      type: 'InternalServerException',
      message: 'Simulated model failure: the prompt contains [fail]',
    });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]?.topicArn).toBe(ERROR_TOPIC);
    expect(publisher.published[0]?.message).toMatchObject({
      invocationStatus: 'Failed',
      failureReason:
        'ClientError: Received server error (500) from model with message "Simulated model failure: the prompt contains [fail]". See the SageMaker Endpoint logs in your account for more information.',
      failureLocation,
      responseParameters: { failureLocation },
      requestParameters: { endpointName: 'imggen-sdxl-async' },
    });
  });

  it('fails a payload the container refuses with its 400', async () => {
    const { stub, publisher } = await harness();
    const payload = Buffer.from(JSON.stringify({ text_prompts: [{ text: 'x' }], width: 1004, height: 256 }));
    await invokeAsync(stub, 'imggen-sdxl-async', {}, payload);
    await stub.idle();
    expect(publisher.published[0]?.message.failureReason).toMatch(
      /^ClientError: Received client error \(400\) from model with message "Invalid request: width: must be divisible by 8"/,
    );
  });

  it('publishes nothing for an outcome without a topic, as SageMaker does', async () => {
    const { stub, publisher, store } = await harness({ JOBS_SUCCESS_TOPIC_ARN: '' });
    const response = await invokeAsync(stub, 'imggen-sdxl-async', {}, sdxlRequest);
    await stub.idle();
    expect(store.objects.has(response.headers['x-amzn-sagemaker-outputlocation'] as string)).toBe(true);
    expect(publisher.published).toEqual([]);
  });

  it('leaves out FailureLocation without a failure path', async () => {
    const { stub } = await harness({ STUB_FAILURE_S3_URI: '' });
    const response = await invokeAsync(stub, 'imggen-sdxl-async', {}, sdxlRequest);
    expect(response.headers).not.toHaveProperty('x-amzn-sagemaker-failurelocation');
  });

  it('rejects unknown endpoints with the recommended ValidationError', async () => {
    const { stub } = await harness();
    const response = await invokeAsync(stub, 'nope', { 'x-amzn-sagemaker-inputlocation': 's3://b/k' });
    expectValidationError(response, 'Endpoint nope of account 000000000000 not found.');
  });

  it.each([
    ['no input at all', {}, 'Either InputLocation or Body must be provided.'],
    ['a malformed InputLocation', { 'x-amzn-sagemaker-inputlocation': 'bucket/key' }, /at 'inputLocation' failed/],
    [
      'an https InputLocation',
      { 'x-amzn-sagemaker-inputlocation': 'https://bucket/key' },
      /use s3:\/\/<bucket>\/<key>/,
    ],
    ['an InputLocation without key', { 'x-amzn-sagemaker-inputlocation': 's3://bucket/' }, /use s3:\/\//],
    ['a long inference id', { 'x-amzn-sagemaker-inference-id': 'x'.repeat(65) }, /at 'inferenceId'/],
    ['a TTL below 60', { 'x-amzn-sagemaker-requestttlseconds': '59' }, /greater than or equal to 60/],
    ['a timeout above 3600', { 'x-amzn-sagemaker-invocationtimeoutseconds': '3601' }, /less than or equal to 3600/],
    ['a non-integer TTL', { 'x-amzn-sagemaker-requestttlseconds': 'soon' }, /must be an integer/],
  ])('rejects %s with ValidationError', async (_case, headers, message) => {
    const { stub } = await harness();
    const withInput =
      'x-amzn-sagemaker-inputlocation' in headers || _case === 'no input at all'
        ? headers
        : { ...headers, 'x-amzn-sagemaker-inputlocation': 's3://b/k' };
    expectValidationError(await invokeAsync(stub, 'imggen-sdxl-async', withInput), message);
  });

  it('rejects an inline body above 128,000 bytes', async () => {
    const { stub } = await harness();
    const response = await invokeAsync(stub, 'imggen-sdxl-async', {}, Buffer.alloc(128_001, 32));
    expectValidationError(response, /at most 128000 bytes/);
  });

  it('refuses async invocations on a real-time endpoint', async () => {
    const { stub } = await harness();
    expectValidationError(await invokeAsync(stub, 'imggen-sdxl-realtime', {}, sdxlRequest), /not an async endpoint/);
  });

  it('keeps arrival order when inputs are read out of order', async () => {
    const clock = new ManualClock(0);
    const { stub, store, publisher } = await harness({ STUB_BASE_INFERENCE_MS: '1000' }, clock);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const read = store.get.bind(store);
    store.get = async (location) => {
      if (location.key === 'first.json') {
        await gate;
      }
      return read(location);
    };
    store.objects.set('s3://requests/first.json', { body: sdxlRequest, contentType: 'application/json' });
    store.objects.set('s3://requests/second.json', { body: sdxlRequest, contentType: 'application/json' });
    for (const [id, key] of [
      ['first', 'first.json'],
      ['second', 'second.json'],
    ]) {
      await invokeAsync(stub, 'imggen-sdxl-async', {
        'x-amzn-sagemaker-inference-id': id ?? '',
        'x-amzn-sagemaker-inputlocation': `s3://requests/${key}`,
      });
    }
    await clock.advance(0);
    release();
    // Rendering takes real time, so move the clock one invocation at a time.
    await clock.advance(1000);
    await until(() => publisher.published.length === 1);
    await clock.advance(1000);
    await stub.idle();
    expect(publisher.published.map((p) => p.message.inferenceId)).toEqual(['first', 'second']);
  });

  it('fails an invocation that outlives InvocationTimeoutSeconds', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const { stub, publisher, store } = await harness({ STUB_BASE_INFERENCE_MS: '5000' }, clock);
    const response = await invokeAsync(
      stub,
      'imggen-sdxl-async',
      { 'x-amzn-sagemaker-invocationtimeoutseconds': '1' },
      sdxlRequest,
    );
    await clock.advance(999);
    expect(publisher.published).toEqual([]);
    await clock.advance(1);
    await stub.idle();
    expect(publisher.published[0]?.message).toMatchObject({
      invocationStatus: 'Failed',
      failureReason: expect.stringMatching(/^ModelError: Invocation timed out: the model did not answer within 1 s/),
      receivedTime: '2026-01-01T00:00:00.000Z',
      eventTime: '2026-01-01T00:00:01.000Z',
    });
    expect(store.objects.has(response.headers['x-amzn-sagemaker-failurelocation'] as string)).toBe(true);
  });

  it('fails a request that waits in the queue longer than RequestTTLSeconds', async () => {
    const clock = new ManualClock(0);
    const { stub, publisher } = await harness({ STUB_BASE_INFERENCE_MS: '100000' }, clock);
    await invokeAsync(stub, 'imggen-sdxl-async', { 'x-amzn-sagemaker-inference-id': 'long' }, sdxlRequest);
    await invokeAsync(
      stub,
      'imggen-sdxl-async',
      { 'x-amzn-sagemaker-inference-id': 'late', 'x-amzn-sagemaker-requestttlseconds': '60' },
      sdxlRequest,
    );
    await clock.advance(60_000);
    expect(publisher.published.map((p) => [p.message.inferenceId, p.message.invocationStatus])).toEqual([
      ['late', 'Failed'],
    ]);
    expect(publisher.published[0]?.message.failureReason).toMatch(/^ClientError: Request expired/);
    await clock.advance(40_000);
    await stub.idle();
    expect(publisher.published.map((p) => [p.message.inferenceId, p.message.invocationStatus])).toEqual([
      ['late', 'Failed'],
      ['long', 'Completed'],
    ]);
  });
});

describe('InvokeEndpoint (real time)', () => {
  it('answers the container response with its content type', async () => {
    const { stub } = await harness();
    const response = await send(stub, {
      method: 'POST',
      url: '/endpoints/imggen-sdxl-realtime/invocations',
      headers: { 'content-type': 'application/json', accept: 'application/json;jpeg' },
      payload: sdxlRequest,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-amzn-invoked-production-variant']).toBe('AllTraffic');
    const image = Buffer.from((response.json() as { generated_image: string }).generated_image, 'base64');
    expect(image.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('maps a container error to ModelError 424', async () => {
    const { stub } = await harness();
    const response = await send(stub, {
      method: 'POST',
      url: '/endpoints/imggen-sdxl-realtime/invocations',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text_prompts: [] }),
    });
    expect(response.statusCode).toBe(424);
    expect(response.headers['x-amzn-errortype']).toBe('ModelError');
    expect(response.json()).toMatchObject({
      ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
      OriginalStatusCode: 400,
      OriginalMessage: expect.stringContaining('text_prompts'),
      Message: expect.stringMatching(/^Received client error \(400\) from primary with message/),
      LogStreamArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/imggen-sdxl-realtime',
    });
  });

  it('throttles the first STUB_THROTTLE_ATTEMPTS calls of an inference id, then answers', async () => {
    const { stub } = await harness({ STUB_THROTTLE_ATTEMPTS: '1' });
    const invoke = () =>
      send(stub, {
        method: 'POST',
        url: '/endpoints/imggen-sdxl-realtime/invocations',
        headers: { 'content-type': 'application/json', 'x-amzn-sagemaker-inference-id': 'rt-throttled' },
        payload: sdxlRequest,
      });
    const throttled = await invoke();
    expect(throttled.statusCode).toBe(400);
    expect(throttled.headers['x-amzn-errortype']).toBe('ThrottlingException');
    expect((await invoke()).statusCode).toBe(200);
  });

  it('refuses real-time invocations on an async endpoint', async () => {
    const { stub } = await harness();
    const response = await send(stub, {
      method: 'POST',
      url: '/endpoints/imggen-sdxl-async/invocations',
      headers: { 'content-type': 'application/json' },
      payload: sdxlRequest,
    });
    expectValidationError(response, /is an async endpoint/);
  });
});

describe('DescribeEndpoint (JSON 1.1)', () => {
  const describe_ = (stub: StubApp, body: unknown, target = 'SageMaker.DescribeEndpoint') =>
    send(stub, {
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      payload: JSON.stringify(body),
    });

  it('reflects scale to zero in the instance counts', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { stub } = await harness({ STUB_COLD_START_MS: '2000', STUB_SCALE_TO_ZERO_AFTER_MS: '60000' }, clock);
    const counts = async (): Promise<unknown> => {
      const body = (await describe_(stub, { EndpointName: 'imggen-sdxl-async' })).json() as {
        ProductionVariants: Array<{ CurrentInstanceCount: number; DesiredInstanceCount: number }>;
      };
      const [variant] = body.ProductionVariants;
      return [variant?.CurrentInstanceCount, variant?.DesiredInstanceCount];
    };
    expect(await counts()).toEqual([0, 0]);
    await invokeAsync(stub, 'imggen-sdxl-async', {}, sdxlRequest);
    await clock.advance(0);
    expect(await counts()).toEqual([0, 1]);
    await clock.advance(2000);
    await stub.idle();
    expect(await counts()).toEqual([1, 1]);
    await clock.advance(60_000);
    expect(await counts()).toEqual([0, 0]);
  });

  it('describes the endpoint and its async configuration', async () => {
    const { stub } = await harness({ STUB_INSTANCE_CONCURRENCY: '2' });
    const response = await describe_(stub, { EndpointName: 'imggen-sdxl-async' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(response.json()).toEqual({
      EndpointName: 'imggen-sdxl-async',
      EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/imggen-sdxl-async',
      EndpointConfigName: 'imggen-sdxl-async-config',
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          CurrentWeight: 1,
          DesiredWeight: 1,
          CurrentInstanceCount: 0,
          DesiredInstanceCount: 0,
        },
      ],
      EndpointStatus: 'InService',
      CreationTime: expect.any(Number),
      LastModifiedTime: expect.any(Number),
      AsyncInferenceConfig: {
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 },
        OutputConfig: {
          S3OutputPath: 's3://outputs/async-out/',
          S3FailurePath: 's3://outputs/async-failures/',
          NotificationConfig: { SuccessTopic: SUCCESS_TOPIC, ErrorTopic: ERROR_TOPIC },
        },
      },
    });
    expect((await describe_(stub, { EndpointName: 'imggen-sdxl-realtime' })).json()).not.toHaveProperty(
      'AsyncInferenceConfig',
    );
  });

  it('answers JSON 1.1 errors', async () => {
    const { stub } = await harness();
    const unknown = await describe_(stub, { EndpointName: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(unknown.json()).toEqual({
      __type: 'ValidationException',
      message: 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/nope".',
    });
    expect((await describe_(stub, {})).json()).toMatchObject({ __type: 'ValidationException' });
    expect((await describe_(stub, {}, 'SageMaker.CreateEndpoint')).json()).toMatchObject({
      __type: 'UnknownOperationException',
    });
  });
});

describe('other requests', () => {
  it('answers unknown routes and oversized bodies in JSON', async () => {
    const { stub } = await harness();
    const missing = await send(stub, { method: 'GET', url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const huge = await send(stub, {
      method: 'POST',
      url: '/endpoints/imggen-sdxl-realtime/invocations',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.alloc(6_400_000, 32),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['x-amzn-errortype']).toBe('ValidationError');
    expect(huge.json()).toMatchObject({ __type: 'ValidationError' });
  });

  it('answers /ping', async () => {
    const { stub } = await harness();
    expect((await send(stub, { method: 'GET', url: '/ping' })).statusCode).toBe(200);
  });
});
