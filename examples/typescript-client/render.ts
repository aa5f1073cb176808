// A backend that renders images with an imggen API key, through a client generated from openapi.json:
// `imggen-api.ts` comes from `npx openapi-typescript openapi.json -o imggen-api.ts`, and openapi-fetch turns it
// into a typed fetch client (paths, bodies, answers and problems all checked by the compiler).
import { setTimeout as sleep } from 'node:timers/promises';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './imggen-api.js';

export type ImggenClient = Client<paths>;
export type JobView = components['schemas']['JobView'];
export type JobRequest = components['schemas']['CreateJobDto'];

const FINAL = new Set<JobView['status']>(['SUCCEEDED', 'FAILED', 'CANCELED', 'TIMED_OUT']);

/** A client that authenticates every request with an API key (`igk_live_...`). */
export function imggenClient(baseUrl: string, apiKey: string): ImggenClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
}

/** An answer that was a problem (RFC 9457): its status, title and detail. */
export class ImggenError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; type?: string },
  ) {
    super(`${status} ${problem.title ?? ''}: ${problem.detail ?? ''}`);
  }
}

/**
 * Submits a job and polls it until it is final. `idempotencyKey` makes a retried submission (after a timeout or a
 * 503) create no second job.
 */
export async function render(
  client: ImggenClient,
  job: JobRequest,
  options: { idempotencyKey?: string; pollMs?: number } = {},
): Promise<JobView> {
  const submitted = await client.POST('/v1/jobs', {
    body: job,
    params: { header: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {} },
  });
  if (!submitted.data) {
    throw new ImggenError(submitted.response.status, submitted.error ?? {});
  }
  const { jobId } = submitted.data;
  for (;;) {
    const polled = await client.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } });
    if (!polled.data) {
      throw new ImggenError(polled.response.status, polled.error ?? {});
    }
    if (FINAL.has(polled.data.status)) {
      return polled.data;
    }
    await sleep(options.pollMs ?? 1000);
  }
}
