import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import request from 'supertest';
import { ulid } from 'ulid';
import { waitFor } from '#libs/testing';
import { WorkerHealthServer } from '../../apps/worker/src/health/health-server.js';
import { ApiMetricsServer } from '../../apps/api/src/observability/metrics-server.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** A caller's own trace (W3C traceparent), which the job must continue. */
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/** `name{labels} value` lines of a Prometheus scrape, as a lookup by the series' text. */
function series(scrape: string): Map<string, number> {
  return new Map(
    scrape
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );
}

describe('observability: one job followed through a trace, the metrics and the logs', () => {
  const exporter = new InMemorySpanExporter();
  const logFile = path.join(tmpdir(), `imggen-observability-${ulid()}.log`);
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    // the SDK's pieces an OTLP-exporting process has, with an in-memory exporter instead of the network
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    stack = await startTestStack({ LOG_LEVEL: 'trace', LOG_FILE: logFile });
    // tracing "on" for the api's request spans; the spans go to the provider above
    const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    api = await startApi(stack.env, traced);
    worker = await startWorker(stack.env, traced);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
    await rm(logFile, { force: true });
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('continues the caller’s trace from the request to the worker’s settling, and counts the job once', async () => {
    const token = await tokenFor(stack.env, `tracer-${ulid()}`);
    const submitted = await request(api.getHttpServer())
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .set('traceparent', `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`)
      // nothing listens on port 9 (discard): the webhook's first attempt fails and is logged
      .send({ prompt: 'a traced lighthouse', width: 512, height: 512, webhookUrl: 'http://127.0.0.1:9/hook' })
      .expect(202);
    const { jobId } = submitted.body as { jobId: string };
    const job = await waitFor(
      async () => {
        const view = (
          await request(api.getHttpServer()).get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`)
        ).body as { status: string; params: { modelId: string } };
        return view.status === 'SUCCEEDED' ? view : undefined;
      },
      { timeoutMs: 20_000, description: 'the job SUCCEEDED' },
    );

    // --- the trace
    const spans = await waitFor(
      () => {
        const all = exporter.getFinishedSpans();
        return all.some((span) => span.name === 'job.settle') ? all : undefined;
      },
      { description: 'the worker’s settling span' },
    );
    const inTrace = spans.filter((span) => span.spanContext().traceId === CALLER_TRACE_ID);
    const request$ = inTrace.find((span) => span.name === 'request' && span.attributes['http.route'] === '/v1/jobs');
    expect(request$).toBeDefined();
    // the request's span is a child of the caller's
    expect(request$!.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    const settle = inTrace.find((span) => span.name === 'job.settle');
    expect(settle).toBeDefined();
    expect(settle!.attributes['imggen.job_id']).toBe(jobId);
    // its parent is the api span that submitted the job, in the same trace, minutes (here: ms) later
    const apiSpanIds = new Set(inTrace.filter((span) => span !== settle).map((span) => span.spanContext().spanId));
    expect(apiSpanIds.has(settle!.parentSpanContext!.spanId)).toBe(true);

    // --- the metrics (api and worker share this process's registry; each serves it on its own port)
    const apiMetricsPort = api.get(ApiMetricsServer).port;
    const workerMetricsPort = worker.get(WorkerHealthServer).port;
    const apiScrape = await fetch(`http://127.0.0.1:${apiMetricsPort}/metrics`);
    expect(apiScrape.status).toBe(200);
    expect(apiScrape.headers.get('content-type')).toContain('text/plain');
    const model = job.params.modelId;
    const fromApi = series(await apiScrape.text());
    expect(fromApi.get(`imggen_jobs_submitted_total{model="${model}"}`)).toBe(1);
    expect(fromApi.get(`imggen_job_submit_to_invoked_seconds_count{model="${model}"}`)).toBe(1);
    expect(
      fromApi.get(`imggen_http_request_duration_seconds_count{method="POST",route="/v1/jobs",status_code="202"}`),
    ).toBe(1);
    const fromWorker = series(await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text());
    expect(fromWorker.get(`imggen_jobs_finished_total{model="${model}",status="succeeded"}`)).toBe(1);
    expect(fromWorker.get(`imggen_job_end_to_end_seconds_count{model="${model}",status="succeeded"}`)).toBe(1);
    expect(fromWorker.get(`imggen_job_notification_to_finalized_seconds_count{model="${model}"}`)).toBe(1);
    expect(fromWorker.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    // the metrics port serves nothing else, and the api port has no /metrics
    expect((await fetch(`http://127.0.0.1:${apiMetricsPort}/v1/jobs`)).status).toBe(404);
    await request(api.getHttpServer()).get('/metrics').expect(404);

    // --- the logs: the job's lines carry its id and the trace id
    await waitFor(
      async () => ((await readFile(logFile, 'utf8')).includes('webhook failed; retrying') ? true : undefined),
      { timeoutMs: 20_000, description: 'the webhook attempt logged' },
    );
    const lines = (await readFile(logFile, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const aboutJob = lines.filter((line) => JSON.stringify(line).includes(jobId));
    expect(aboutJob.length).toBeGreaterThan(1);
    for (const line of aboutJob) {
      // the stub names the job as SageMaker does: its inference id
      expect(line.jobId ?? line.inferenceId).toBe(jobId);
      expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    // submission, invocation and settling are one trace: the caller's (each poll is a trace of its own)
    const inCallerTrace = aboutJob.filter((line) => line.traceId === CALLER_TRACE_ID).map((line) => line.msg);
    expect(inCallerTrace).toEqual(
      expect.arrayContaining([
        'job submitted',
        'async invocation accepted',
        'async invocation completed',
        'job succeeded',
        'webhook failed; retrying',
      ]),
    );
  });

  it('never writes a token, an Authorization header, a webhook secret or a presigned URL signature to a log', async () => {
    const token = await tokenFor(stack.env, `secretive-${ulid()}`);
    const auth = { authorization: `Bearer ${token}` };
    const http$ = () => request(api.getHttpServer());
    const secret = ((await http$().get('/v1/webhooks/secret').set(auth).expect(200)).body as { secret: string }).secret;
    const key = (
      (
        await http$()
          .post('/v1/keys')
          .set(auth)
          .send({ name: 'logs', scopes: ['jobs:read', 'jobs:write'] })
      ).body as { key: string }
    ).key;
    const { jobId } = (
      await http$()
        .post('/v1/jobs')
        .set({ authorization: `Bearer ${key}` })
        .send({ prompt: 'a secret lighthouse', width: 512, height: 512, webhookUrl: 'http://127.0.0.1:9/hook' })
        .expect(202)
    ).body as { jobId: string };
    const finished = await waitFor(
      async () => {
        const view = (await http$().get(`/v1/jobs/${jobId}`).set(auth)).body as {
          status: string;
          images: { url: string }[];
        };
        return view.status === 'SUCCEEDED' ? view : undefined;
      },
      { timeoutMs: 20_000, description: 'the job SUCCEEDED' },
    );
    const signature = new URL(finished.images[0]!.url).searchParams.get('X-Amz-Signature');
    expect(signature).toBeTruthy();
    // a careless client: the token in a query string and a cookie too
    await http$().get(`/v1/jobs?access_token=${token}`).set(auth).set('cookie', `session=${token}`).expect(200);
    await worker.close();
    worker = await startWorker(stack.env, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });

    const log = await readFile(logFile, 'utf8');
    expect(log).toContain(jobId);
    for (const secretText of [token, token.split('.')[2]!, key, secret, secret.slice('whsec_'.length), signature!]) {
      expect(log).not.toContain(secretText);
    }
  });
});
