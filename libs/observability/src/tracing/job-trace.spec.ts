import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  activeTraceContext,
  activeTraceIds,
  inJobTrace,
  traceCustomAttributes,
  traceOfCustomAttributes,
} from './job-trace.js';

describe('job traces', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
  });

  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('has nothing to store or log outside a span', () => {
    expect(activeTraceContext()).toBeUndefined();
    expect(activeTraceIds()).toEqual({});
    expect(traceCustomAttributes(undefined)).toBeUndefined();
  });

  it('stores the active span as a traceparent, and a later span continues it as its child', async () => {
    const tracer = trace.getTracer('test');
    const { stored, submitSpan } = tracer.startActiveSpan('submit', (span) => {
      const result = { stored: activeTraceContext(), submitSpan: span.spanContext() };
      expect(activeTraceIds()).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      span.end();
      return result;
    });
    expect(stored?.traceparent).toBe(`00-${submitSpan.traceId}-${submitSpan.spanId}-01`);

    // minutes later, in another process: no active span, only what was stored with the job
    const settled = await inJobTrace(stored, 'job.settle', { 'imggen.job_id': 'J1' }, async () => 'done');
    expect(settled).toBe('done');
    const settle = exporter.getFinishedSpans().find((span) => span.name === 'job.settle')!;
    expect(settle.spanContext().traceId).toBe(submitSpan.traceId);
    expect(settle.parentSpanContext?.spanId).toBe(submitSpan.spanId);
    expect(settle.attributes['imggen.job_id']).toBe('J1');
  });

  it('records a failure on the span and throws it on', async () => {
    await expect(
      inJobTrace(undefined, 'job.failing', {}, async () => {
        throw new Error('S3 is down');
      }),
    ).rejects.toThrow('S3 is down');
    const failing = exporter.getFinishedSpans().find((span) => span.name === 'job.failing')!;
    expect(failing.status).toMatchObject({ code: 2, message: 'S3 is down' });
    expect(failing.events.map((event) => event.name)).toContain('exception');
  });

  it('carries the traceparent through SageMaker CustomAttributes', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const attributes = traceCustomAttributes({ traceparent });
    expect(attributes).toBe(`traceparent=${traceparent}`);
    expect(traceOfCustomAttributes(attributes)).toEqual({ traceparent });
    expect(traceOfCustomAttributes(`tenant=a,traceparent=${traceparent}`)).toEqual({ traceparent });
    expect(traceOfCustomAttributes('traceparent=not-a-trace')).toBeUndefined();
    expect(traceOfCustomAttributes(undefined)).toBeUndefined();
  });
});
