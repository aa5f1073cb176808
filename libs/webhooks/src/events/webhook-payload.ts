import type { Job, WebhookEventKind } from '#libs/contracts';

/**
 * The body of a webhook (Standard Webhooks' recommended `{ type, timestamp, data }`): the job as it was at the
 * event, shaped like GET /v1/jobs/{jobId} but without image URLs (they are presigned and short-lived, and a retry
 * may come hours later): the receiver GETs `links.self` for them.
 */
export interface WebhookPayload {
  type: `job.${WebhookEventKind}`;
  /** When the event happened (the same on every attempt; `webhook-timestamp` is the attempt's). */
  timestamp: string;
  data: WebhookJobData;
}

export interface WebhookJobData {
  jobId: string;
  status: Job['status'];
  createdAt: string;
  updatedAt: string;
  params: Job['params'];
  images: Array<{ index: number; width: number; height: number; format: string; bytes: number }>;
  error: Job['error'] | null;
  progress?: { step: number; totalSteps: number };
  metadata: {
    modelId: string;
    inferenceId: string;
    seed: number;
    timings: Job['timings'];
    cost: Job['cost'] | null;
  };
  batchId?: string;
  links: { self: string };
}

export function webhookPayload(
  job: Job,
  kind: WebhookEventKind,
  at: Date,
  progress?: { step: number; totalSteps: number },
): WebhookPayload {
  return {
    type: `job.${kind}`,
    timestamp: at.toISOString(),
    data: {
      jobId: job.jobId,
      status: job.status,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      params: job.params,
      images: job.images.map((image, index) => ({
        index,
        width: image.width,
        height: image.height,
        format: image.format,
        bytes: image.bytes,
      })),
      error: job.error ?? null,
      ...(progress ? { progress } : {}),
      metadata: {
        modelId: job.params.modelId,
        inferenceId: job.inferenceId,
        seed: job.params.seed,
        timings: job.timings,
        cost: job.cost ?? null,
      },
      ...(job.batchId ? { batchId: job.batchId } : {}),
      links: { self: `/v1/jobs/${job.jobId}` },
    },
  };
}
