import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { type Job, JobStatus } from '#libs/contracts';

/** A job to submit and the final state a healthy run gives it (the stub's `[fail]` and `[filtered]` triggers). */
export interface PlannedJob {
  prompt: string;
  expected: { status: JobStatus; code?: string };
}

/** `count` small jobs: every tenth fails in the model, every tenth (offset 5) is content-filtered, the rest succeed. */
export function plannedJobs(count: number, label: string): PlannedJob[] {
  return Array.from({ length: count }, (_, index) => {
    if (index % 10 === 3) {
      return { prompt: `${label} ${index} [fail]`, expected: { status: JobStatus.Failed, code: 'MODEL_ERROR' } };
    }
    if (index % 10 === 7) {
      return {
        prompt: `${label} ${index} [filtered]`,
        expected: { status: JobStatus.Failed, code: 'CONTENT_FILTERED' },
      };
    }
    return { prompt: `${label} ${index}`, expected: { status: JobStatus.Succeeded } };
  });
}

/** POST /v1/batches of small, quick jobs (SDXL-Turbo, 512², one step); the jobs' ids in order. */
export async function submitBatch(
  api: NestFastifyApplication,
  token: string,
  prompts: readonly string[],
  job: { timeoutSeconds?: number } = {},
): Promise<string[]> {
  const response = await request(api.getHttpServer())
    .post('/v1/batches')
    .set('authorization', `Bearer ${token}`)
    .send({ jobs: prompts.map((prompt) => ({ prompt, modelId: 'sdxl-turbo', ...job })) });
  if (response.status !== 202) {
    throw new Error(`POST /v1/batches answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return (response.body as { jobs: { jobId: string }[] }).jobs.map((submitted) => submitted.jobId);
}

/** Each job's final state as `status` or `status/code`, to compare with the plan. */
export function outcomes(jobs: readonly Job[]): string[] {
  return jobs.map((job) => (job.error ? `${job.status}/${job.error.code}` : job.status));
}

export function expectedOutcomes(plan: readonly PlannedJob[]): string[] {
  return plan.map(({ expected }) => (expected.code ? `${expected.status}/${expected.code}` : expected.status));
}
