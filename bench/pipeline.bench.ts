/**
 * npm run bench: measures the platform on this machine, through the real AWS SDK clients and the emulators.
 *
 * 1. submit: POST /v1/jobs latency and throughput (the api's own work: S3 put, DynamoDB put, InvokeEndpointAsync,
 *    DynamoDB update), with the stub rendering at once so nothing queues behind the model.
 * 2. pipeline: jobs per second from POST to SUCCEEDED through stub → S3 → SNS → SQS → worker → S3 → DynamoDB,
 *    with zero simulated inference time (the platform's own ceiling; the GPU sets the real one).
 * 3. dev defaults: POST → SUCCEEDED for one job at `make dev` timings, cold (endpoint at zero) then warm.
 *
 * Everything runs in this process on loopback and stops by itself; figures go to stdout.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '#libs/config';
import { startApi, startWorker, tokenFor } from '../test/support/platform.js';
import { startTestStack } from '../test/support/test-stack.js';

interface Submitted {
  jobId: string;
  ms: number;
}

const SUBMIT_JOBS = Number(process.env.BENCH_SUBMIT_JOBS ?? 300);
const PIPELINE_JOBS = Number(process.env.BENCH_PIPELINE_JOBS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number): string => n.toFixed(1);
  return `p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  p99 ${f(percentile(sorted, 99))} ms`;
}

async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

class Client {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async submit(body: object): Promise<Submitted> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const ms = performance.now() - started;
    if (response.status !== 202) {
      throw new Error(`POST /v1/jobs answered ${response.status}: ${await response.text()}`);
    }
    return { jobId: ((await response.json()) as { jobId: string }).jobId, ms };
  }

  async job(jobId: string): Promise<{ status: string; metadata: { timings: Record<string, string | number> } }> {
    const response = await fetch(`${this.baseUrl}/v1/jobs/${jobId}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    return (await response.json()) as { status: string; metadata: { timings: Record<string, string | number> } };
  }

  /** Polls until every job is final; returns the latest finalizedAt (epoch ms). */
  async waitForAll(jobIds: string[], timeoutMs = 120_000): Promise<number> {
    const pending = new Set(jobIds);
    let lastFinalized = 0;
    const deadline = Date.now() + timeoutMs;
    while (pending.size > 0) {
      if (Date.now() > deadline) {
        throw new Error(`${pending.size} jobs still not final after ${timeoutMs} ms`);
      }
      await inParallel(pending.size, 8, async (index) => {
        const jobId = [...pending][index];
        if (!jobId) {
          return;
        }
        const job = await this.job(jobId);
        if (job.status === 'SUCCEEDED' || job.status === 'FAILED') {
          if (job.status === 'FAILED') {
            throw new Error(`job ${jobId} failed`);
          }
          pending.delete(jobId);
          lastFinalized = Math.max(lastFinalized, Date.parse(String(job.metadata.timings.finalizedAt)));
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return lastFinalized;
  }
}

async function withPlatform<T>(overrides: Env, run: (client: Client) => Promise<T>): Promise<T> {
  const stack = await startTestStack(overrides);
  let api: NestFastifyApplication | undefined;
  const worker = await startWorker(stack.env);
  try {
    // the e2e suite's contract check would add its own cost to every answer
    api = await startApi(stack.env, {}, { checkContract: false });
    await api.listen(0, '127.0.0.1');
    const client = new Client(await api.getUrl(), await tokenFor(stack.env, 'bench'));
    return await run(client);
  } finally {
    await worker.close();
    await api?.close();
    await stack.stop();
  }
}

const small = { prompt: 'benchmark: a lighthouse at dawn', width: 512, height: 512 };

console.log(`imggen benchmark — Node ${process.version}, ${CONCURRENCY} concurrent clients`);

// The model takes an hour here, so invocations only queue in the stub: this measures the api alone.
await withPlatform({ STUB_BASE_INFERENCE_MS: '3600000', STUB_COLD_START_MS: '0' }, async (client) => {
  await inParallel(20, CONCURRENCY, () => client.submit(small)); // warm-up
  const started = performance.now();
  const submits = await inParallel(SUBMIT_JOBS, CONCURRENCY, () => client.submit(small));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n1. submit   ${SUBMIT_JOBS} × POST /v1/jobs: ${(SUBMIT_JOBS / seconds).toFixed(0)} req/s, ` +
      summary(submits.map((submitted) => submitted.ms)),
  );
});

await withPlatform({ STUB_INSTANCE_CONCURRENCY: '64', WORKER_CONCURRENCY: '16' }, async (client) => {
  await client.waitForAll((await inParallel(20, CONCURRENCY, () => client.submit(small))).map((job) => job.jobId));
  const pipelineStart = Date.now();
  const jobs = await inParallel(PIPELINE_JOBS, CONCURRENCY, () => client.submit(small));
  const lastFinalized = await client.waitForAll(jobs.map((job) => job.jobId));
  const makespan = (lastFinalized - pipelineStart) / 1000;
  const totals = await inParallel(jobs.length, 8, async (index) => {
    const job = await client.job(jobs[index]!.jobId);
    return Number(job.metadata.timings.totalMs);
  });
  console.log(
    `2. pipeline ${PIPELINE_JOBS} jobs POST → SUCCEEDED (512² PNG, zero inference time): ` +
      `${(PIPELINE_JOBS / makespan).toFixed(1)} jobs/s, submit → finalized ${summary(totals)}`,
  );
});

await withPlatform(
  {
    STUB_BASE_INFERENCE_MS: '500',
    STUB_MS_PER_STEP_MEGAPIXEL: '80',
    STUB_COLD_START_MS: '2000',
    STUB_INSTANCE_CONCURRENCY: '1',
  },
  async (client) => {
    const lines: string[] = [];
    for (const label of ['cold', 'warm', 'warm', 'warm']) {
      const started = Date.now();
      const { jobId } = await client.submit({ prompt: 'A beautiful sunset over mountains' });
      const finalized = await client.waitForAll([jobId]);
      const job = await client.job(jobId);
      const { inferenceMs, totalMs } = job.metadata.timings;
      lines.push(
        `   ${label}: POST → SUCCEEDED ${finalized - started} ms (simulated inference ${inferenceMs} ms, platform ${Number(totalMs) - Number(inferenceMs)} ms)`,
      );
    }
    console.log(
      `3. dev defaults (SDXL 1024², 30 steps; stub: 500 ms + 80 ms/step/MP, 2 s cold start):\n${lines.join('\n')}`,
    );
  },
);
