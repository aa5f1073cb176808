import { type Attributes, context, isSpanContextValid, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import type { JobTraceContext } from '#libs/contracts';

const tracer = () => trace.getTracer('imggen');

/**
 * The active trace as W3C headers, to store with a job: whoever finishes the job (the worker, minutes later) joins
 * the trace that submitted it. Undefined when nothing is being traced.
 */
export function activeTraceContext(): JobTraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent
    ? { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) }
    : undefined;
}

/**
 * SageMaker's CustomAttributes (at most 1024 visible ASCII characters, handed to the model container as the
 * X-Amzn-SageMaker-Custom-Attributes header): the job's traceparent, so the model's own spans can join too.
 */
export function traceCustomAttributes(trace?: JobTraceContext): string | undefined {
  return trace ? `traceparent=${trace.traceparent}` : undefined;
}

/** The traceparent in SageMaker CustomAttributes (`traceparent=...`, among other `key=value` pairs). */
export function traceOfCustomAttributes(customAttributes?: string): JobTraceContext | undefined {
  const match = /(?:^|[;,\s])traceparent=([0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})/.exec(
    customAttributes ?? '',
  );
  return match ? { traceparent: match[1]! } : undefined;
}

/**
 * Runs `work` in a span that continues the job's stored trace (a new trace when the job has none), ending it with
 * the outcome: an error is recorded on the span and thrown on.
 */
export async function inJobTrace<T>(
  stored: JobTraceContext | undefined,
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const parent = stored ? propagation.extract(context.active(), { ...stored }) : context.active();
  return tracer().startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's ids, for log lines (empty when nothing is traced). */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext)
    ? { traceId: spanContext.traceId, spanId: spanContext.spanId }
    : {};
}
