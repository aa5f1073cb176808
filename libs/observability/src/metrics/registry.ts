import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * This process's metrics, served as Prometheus text by GET /metrics (the api's and the worker's private port).
 * The names are the contract with the dashboards and alarms (deploy/terraform), so they change only together.
 */
export const metricsRegistry = new Registry();

let collectingProcessMetrics = false;

/**
 * Adds Node's process metrics (memory, CPU, event-loop lag, heap) to the registry: called by the process that serves
 * /metrics, so the other processes that import this library (for its tracing helpers) start no collection.
 */
export function collectProcessMetrics(): void {
  if (!collectingProcessMetrics) {
    collectingProcessMetrics = true;
    collectDefaultMetrics({ register: metricsRegistry });
  }
}

const registers = [metricsRegistry];
/** 5 ms .. 10 min: a submit takes milliseconds, a job behind a cold start minutes. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export const platformMetrics = {
  jobsSubmitted: new Counter({
    name: 'imggen_jobs_submitted_total',
    help: 'Jobs written and sent to their model',
    labelNames: ['model'] as const,
    registers,
  }),
  jobsFinished: new Counter({
    name: 'imggen_jobs_finished_total',
    help: 'Jobs that reached a final state, by model and status (succeeded, failed, canceled, timed_out)',
    labelNames: ['model', 'status'] as const,
    registers,
  }),
  submitToInvoked: new Histogram({
    name: 'imggen_job_submit_to_invoked_seconds',
    help: 'From the job being accepted to SageMaker confirming the invocation',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  notificationToFinalized: new Histogram({
    name: 'imggen_job_notification_to_finalized_seconds',
    help: "From the model's completion (its notification) to the job's final state being written",
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  endToEnd: new Histogram({
    name: 'imggen_job_end_to_end_seconds',
    help: 'From submission to the final state',
    labelNames: ['model', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  inference: new Histogram({
    name: 'imggen_job_inference_seconds',
    help: 'The model rendering (from started to completed)',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  httpRequests: new Histogram({
    name: 'imggen_http_request_duration_seconds',
    help: "The api's answers by route (POST /v1/jobs is the submit latency)",
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  queueMessages: new Gauge({
    name: 'imggen_queue_messages',
    help: 'Messages in a queue the worker consumes, as SQS counts them (visible, in_flight, delayed)',
    labelNames: ['queue', 'state'] as const,
    registers,
  }),
  queueMessageAge: new Histogram({
    name: 'imggen_queue_message_age_seconds',
    help: 'How long a message waited in its queue before the worker received it',
    labelNames: ['queue'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  eventStreamsOpen: new Gauge({
    name: 'imggen_event_streams_open',
    help: 'Server-sent event streams open on this api instance',
    registers,
  }),
  webhookDeliveries: new Counter({
    name: 'imggen_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retrying, failed, blocked)',
    labelNames: ['outcome'] as const,
    registers,
  }),
};
