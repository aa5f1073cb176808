/**
 * npm run bench [-- --json] [--jobs 1000] [--duration 10] [--connections 16] [--warmup 15] [--variant="<node flags>"]
 *
 * The platform's own cost, measured on this machine with the stub's inference time at zero and every part in a
 * process of its own as under make dev (emulators, stub, api, worker), each figure next to a baseline from the
 * same run:
 * 1. api: POST /v1/jobs under autocannon, against a bare node:http server making the same AWS calls
 *    (bare/baseline-server.ts); the stub holds every invocation so only the api's work is measured. Later, GET
 *    /v1/jobs/{id} of a SUCCEEDED job the same way.
 * 2. pipeline: --jobs jobs submitted as fast as the api takes them, jobs/s until the last is SUCCEEDED, and the
 *    platform's latencies from the jobs' own timings; the ceiling is the same per-job AWS calls made by a bare
 *    script (bare/ceiling.ts).
 * 3. idle: one job at a time; how long after the stub's notification the job is SUCCEEDED.
 * 4. resident memory of the api and the worker (the most seen during 1 and 2).
 * With --variant, a second api started with these Node flags added to the services' own is loaded in the same POST
 * turns, so a flag's cost in CPU and memory is measured against the same api and baseline (docs/benchmarks.md).
 * Prints a table; with --json, the last line is the figures as JSON; --profile keeps CPU profiles of api and worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { createDynamoDbDocumentClient } from '#libs/aws';
import {
  type Env,
  LOCAL_CLIENT_ID,
  LOCAL_SERVICE_NODE_FLAGS,
  loadAwsConfig,
  localEnvironment,
  SERVICE_NODE_FLAGS,
} from '#libs/config';
import { freePort } from '#libs/local-stack';
import { startDevIdp, subjectFor } from '../apps/dev-idp/src/idp.js';
import { type BenchProcess, startProcess, untilAnswering } from './support/processes.js';
import { inParallel, percentiles } from './support/stats.js';
import { BASELINE_OWNER_HEADER } from './bare/bare-calls.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    // seconds of the same load each server gets before it is measured (see warmUp)
    warmup: { type: 'string', default: '15' },
    // Node flags for a second api measured in the same POST turns: --variant="--max-semi-space-size=8"
    variant: { type: 'string' },
    // writes V8 CPU profiles of the api and the worker (node --cpu-prof) next to the kept logs
    profile: { type: 'boolean', default: false },
  },
});
const JOBS = Number(args.jobs);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const SUBMITTERS = 32;
/** Users the POST load takes turns with: about as many jobs in flight per user as the default limit (10) allows. */
const POST_USERS = 200;
const WORKER_WAIT_TIME_SECONDS = 20;
const ROUNDS = 4;
const IDLE_JOBS = 40;
const body = { prompt: 'benchmark: a lighthouse at dawn', width: 512, height: 512 };
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const progress = (text: string): void => {
  process.stderr.write(`bench: ${text}\n`);
};

interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU time per request of the server under load, and of the emulators answering its calls. */
  cpuMsPerRequest: { server: number; emulators: number };
  /** The AWS calls the emulators answered per request, by operation. */
  awsCallsPerRequest: Record<string, number>;
}

/** The calls the emulators have answered so far, by operation (bench/support/emulators-process.ts counts them). */
async function awsCalls(emulators: BenchProcess): Promise<Record<string, number>> {
  const line = emulators.nextLine('calls ');
  emulators.child.kill('SIGUSR2');
  return JSON.parse((await line).slice('calls '.length)) as Record<string, number>;
}

/** The calls made between two counts, per request (or job), by operation. */
function callsPer(
  after: Record<string, number>,
  before: Record<string, number>,
  count: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([operation, total]) => [operation, round((total - (before[operation] ?? 0)) / count, 2)] as const)
      .filter(([, perCount]) => perCount > 0),
  );
}

/** The calls once no more come in (the requests a turn left in flight have made theirs). */
async function settledCalls(emulators: BenchProcess): Promise<Record<string, number>> {
  const total = (calls: Record<string, number>): number => Object.values(calls).reduce((sum, n) => sum + n, 0);
  let calls = await awsCalls(emulators);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await awsCalls(emulators);
    if (total(now) === total(calls)) {
      return now;
    }
    calls = now;
  }
}

interface Target {
  url: string;
  method: 'GET' | 'POST';
  token?: string;
  /** Headers sent in turn, one set per request (each names one of many users); else `token`'s user only. */
  users?: readonly Record<string, string>[];
  /** The process answering `url`, whose CPU time is measured. */
  server: BenchProcess;
}

async function load(target: Target, duration: number) {
  return autocannon({
    url: target.url,
    method: target.method,
    connections: CONNECTIONS,
    duration,
    headers: {
      'content-type': 'application/json',
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
    ...(target.method === 'POST' ? { body: JSON.stringify(body) } : {}),
    ...(target.users ? { requests: [{ setupRequest: takingTurns(target.users) }] } : {}),
  });
}

/**
 * The load each server gets before it is measured, one after the other. A server in use has run for days, its code
 * optimized by V8 long ago; a fresh one is still compiling, and the api has far more code to compile than its baseline
 * (docs/benchmarks.md: 2 s of warm-up measured the api at 28.7 ms of CPU per POST, 21.1 ms a few seconds later).
 */
async function warmUp(...targets: (Target | undefined)[]): Promise<void> {
  // --warmup 0 measures fresh processes (a 0 s autocannon run still sends the requests its connections start with)
  for (const target of WARMUP > 0 ? targets : []) {
    if (target) {
      await load(target, WARMUP);
    }
  }
}

/** An autocannon request set-up that gives each request the next user's headers. */
function takingTurns(users: readonly Record<string, string>[]) {
  let next = 0;
  return (request: autocannon.Request): autocannon.Request => {
    const headers = users[next++ % users.length];
    return { ...request, headers: { ...request.headers, ...headers } };
  };
}

/** Requests sent, answered or not when the turn ended (autocannon counts them, its types do not say so). */
const sentRequests = (result: autocannon.Result): number =>
  (result.requests as { sent?: number }).sent ?? result.requests.total;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** One server's turns so far: autocannon's results, the CPU time spent, the AWS calls made. */
interface ServerTurns {
  name: string;
  target: Target;
  results: autocannon.Result[];
  cpuMs: { server: number; emulators: number };
  calls: Record<string, number>;
}

/**
 * Servers loaded in turns (ROUNDS rounds of DURATION / ROUNDS seconds each, the order rotated every round), so a
 * change in the machine's load in the meantime weighs on all alike: req/s over all rounds, the median round's
 * latencies.
 */
async function inTurns<Targets extends Record<string, Target | undefined>>(
  targets: Targets,
  emulators: BenchProcess,
): Promise<{ [Name in keyof Targets]: undefined extends Targets[Name] ? Load | undefined : Load }> {
  // an undefined target is left out
  const servers: ServerTurns[] = Object.entries(targets).flatMap(([name, target]) =>
    target ? [{ name, target, results: [], cpuMs: { server: 0, emulators: 0 }, calls: {} }] : [],
  );
  const seconds = Math.max(1, Math.round(DURATION / ROUNDS));
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)];
    for (const { target, results, cpuMs, calls } of order) {
      const before = { server: await target.server.cpuMs(), emulators: await emulators.cpuMs() };
      const callsBefore = await awsCalls(emulators);
      results.push(await load(target, seconds));
      // the requests still in flight when the turn ends are served (and counted as sent) before the next turn
      const callsAfter = await settledCalls(emulators);
      cpuMs.server += ((await target.server.cpuMs()) ?? NaN) - (before.server ?? NaN);
      cpuMs.emulators += ((await emulators.cpuMs()) ?? NaN) - (before.emulators ?? NaN);
      for (const [operation, count] of Object.entries(callsAfter)) {
        calls[operation] = (calls[operation] ?? 0) + count - (callsBefore[operation] ?? 0);
      }
    }
  }
  const summary = ({ results, cpuMs, calls }: ServerTurns): Load => {
    const answered = results.reduce((sum, result) => sum + result.requests.total, 0);
    const requests = results.reduce((sum, result) => sum + sentRequests(result), 0);
    return {
      requestsPerSecond: round(answered / results.reduce((sum, result) => sum + result.duration, 0), 0),
      p50Ms: median(results.map((result) => result.latency.p50)),
      p99Ms: median(results.map((result) => result.latency.p99)),
      errors: results.reduce((sum, result) => sum + result.errors + result.non2xx, 0),
      cpuMsPerRequest: {
        server: round(cpuMs.server / requests, 2),
        emulators: round(cpuMs.emulators / requests, 2),
      },
      awsCallsPerRequest: callsPer(calls, {}, requests),
    };
  };
  return Object.fromEntries(servers.map((server) => [server.name, summary(server)])) as {
    [Name in keyof Targets]: undefined extends Targets[Name] ? Load | undefined : Load;
  };
}

async function submit(api: string, token: string): Promise<{ jobId: string }> {
  const response = await fetch(`${api}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) {
    throw new Error(`POST /v1/jobs answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as { jobId: string };
}

interface StoredJob {
  jobId: string;
  status: string;
  timings: { submittedAt: string; invokedAt?: string; completedAt?: string; finalizedAt?: string };
}

/** Reads an owner's jobs straight from the table (no load on the api while it is being measured). */
class JobsTable {
  private readonly documents;
  constructor(
    env: Env,
    private readonly table: string,
  ) {
    this.documents = createDynamoDbDocumentClient(loadAwsConfig(env));
  }

  async count(ownerId: string, status: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byOwnerStatus',
          KeyConditionExpression: 'ownerStatus = :key',
          ExpressionAttributeValues: { ':key': `${ownerId}#${status}` },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async all(ownerId: string): Promise<StoredJob[]> {
    const jobs: StoredJob[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byOwner',
          KeyConditionExpression: 'ownerId = :owner',
          ExpressionAttributeValues: { ':owner': ownerId },
          ExclusiveStartKey: start,
        }),
      );
      jobs.push(...((page.Items ?? []) as StoredJob[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return jobs;
  }

  async untilSucceeded(ownerId: string, count: number, timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.count(ownerId, 'SUCCEEDED')) < count) {
      if (Date.now() > deadline) {
        throw new Error(`not all ${count} jobs of ${ownerId} SUCCEEDED after ${timeoutMs / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const between = (from?: string, to?: string): number => Date.parse(to ?? '') - Date.parse(from ?? '');

/** Samples the processes' resident memory until stopped; reports the most seen per process, in MB. */
function watchMemory(processes: BenchProcess[]): { stop(): Record<string, number> } {
  const most: Record<string, number> = {};
  const timer = setInterval(() => {
    for (const each of processes) {
      void each.rssMb().then((mb) => {
        if (mb !== undefined) {
          most[each.name] = Math.max(most[each.name] ?? 0, round(mb, 0));
        }
      });
    }
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return most;
    },
  };
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'imggen-bench-'));
  const ports = {
    api: await freePort(),
    web: await freePort(),
    fauxqs: await freePort(),
    dynalite: await freePort(),
    stub: await freePort(),
    idp: await freePort(),
    workerHealth: await freePort(),
    apiMetrics: await freePort(),
    variantApi: await freePort(),
    variantApiMetrics: await freePort(),
  };
  const baselinePort = await freePort();
  const env: Env = {
    ...process.env,
    ...localEnvironment({ ports, prefix: 'imggen-bench' }),
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    BENCH_FAUXQS_PORT: String(ports.fauxqs),
    BENCH_DYNALITE_PORT: String(ports.dynalite),
    BENCH_DATA_DIR: path.join(workDir, 'data'),
    BASELINE_PORT: String(baselinePort),
    BENCH_JOBS: String(JOBS),
    BENCH_CONCURRENCY: String(SUBMITTERS),
    LIMITS_REQUESTS_PER_MINUTE: '10000000',
    LIMITS_JOBS_PER_DAY: '10000000',
    LIMITS_JOBS_IN_FLIGHT: '10000000',
    LIMITS_USER_MONTHLY_BUDGET_USD: '10000000',
    MONTHLY_BUDGET_USD: '10000000',
    STUB_BASE_INFERENCE_MS: '0',
    STUB_MS_PER_STEP_MEGAPIXEL: '0',
    STUB_COLD_START_MS: '0',
    STUB_MIN_INSTANCES: '1',
    STUB_INSTANCE_CONCURRENCY: '64',
    // messages the worker (and the bare script) hold at once, per queue
    WORKER_CONCURRENCY: '16',
    WORKER_WAIT_TIME_SECONDS: String(WORKER_WAIT_TIME_SECONDS),
  };
  const started: BenchProcess[] = [];
  const start = async (
    name: string,
    entry: string,
    ready: string | undefined,
    extra: Env = {},
    nodeFlags?: readonly string[],
  ) => {
    const child = startProcess(name, entry, { ...env, ...extra }, workDir, nodeFlags);
    started.push(child);
    if (ready) {
      await untilAnswering(ready, child);
    }
    return child;
  };
  const idp = await startDevIdp({ port: ports.idp, issuer: env.AUTH_ISSUER!, clientId: LOCAL_CLIENT_ID });
  let keepLogs = process.env.BENCH_KEEP_LOGS === 'true' || args.profile;
  const profiled: Env = args.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${workDir}` } : {};
  try {
    progress(`logs in ${workDir}`);
    // the emulators stand in for AWS, not for a task of ours: the heap Node picks for this machine
    const emulators = await start(
      'emulators',
      'dist/bench/support/emulators-process.js',
      undefined,
      {},
      SERVICE_NODE_FLAGS,
    );
    await emulators.printed('emulators ready');
    const table = new JobsTable(env, env.JOBS_TABLE!);
    const api = `http://127.0.0.1:${ports.api}`;
    const token = await idp.mintToken('bench');

    // 1. api: the stub holds every invocation for an hour, so nothing downstream runs while the api is measured
    progress('api: POST, the api and its baseline');
    const holdingStub = await start(
      'stub-holding',
      'dist/apps/sagemaker-stub/src/main.js',
      `http://127.0.0.1:${ports.stub}/ping`,
      {
        STUB_BASE_INFERENCE_MS: '3600000',
        STUB_SCALE_TO_ZERO_AFTER_MS: '3600000',
      },
    );
    const apiProcess = await start('api', 'dist/apps/api/src/main.js', `${api}/health/live`, profiled);
    const baseline = await start('baseline', 'dist/bench/bare/baseline-server.js', `http://127.0.0.1:${baselinePort}/`);
    const baselineUrl = `http://127.0.0.1:${baselinePort}`;
    const apiIdleRssMb = round((await apiProcess.rssMb()) ?? 0, 0);
    const variantApi = args.variant
      ? await start(
          'api-variant',
          'dist/apps/api/src/main.js',
          `http://127.0.0.1:${ports.variantApi}/health/live`,
          { API_PORT: String(ports.variantApi), API_METRICS_PORT: String(ports.variantApiMetrics) },
          // a V8 flag given twice: the later one counts
          [...LOCAL_SERVICE_NODE_FLAGS, ...args.variant.split(/\s+/).filter(Boolean)],
        )
      : undefined;
    const memory = watchMemory([apiProcess, baseline, ...(variantApi ? [variantApi] : [])]);
    // many users, as in real use: each user's in-flight set and budget holds stay as small as the limits keep them
    const users = await Promise.all(
      Array.from({ length: POST_USERS }, async (_, index) => ({
        subject: subjectFor(`bench-${index}`),
        token: await idp.mintToken(`bench-${index}`),
      })),
    );
    const ourPostTarget: Target = {
      url: `${api}/v1/jobs`,
      method: 'POST',
      users: users.map((user) => ({ authorization: `Bearer ${user.token}` })),
      server: apiProcess,
    };
    const basePostTarget: Target = {
      url: `${baselineUrl}/v1/jobs`,
      method: 'POST',
      users: users.map((user) => ({ [BASELINE_OWNER_HEADER]: user.subject })),
      server: baseline,
    };
    const variantPostTarget: Target | undefined = variantApi && {
      ...ourPostTarget,
      url: `http://127.0.0.1:${ports.variantApi}/v1/jobs`,
      server: variantApi,
    };
    await warmUp(ourPostTarget, variantPostTarget, basePostTarget);
    const {
      ours: ourPost,
      baseline: basePost,
      variant: variantPost,
    } = await inTurns({ ours: ourPostTarget, baseline: basePostTarget, variant: variantPostTarget }, emulators);
    await variantApi?.stop();
    await baseline.stop();
    await holdingStub.stop();
    const apiMemory = memory.stop();

    // 2. pipeline through the platform, then the same calls from the bare script
    progress(`pipeline: ${JOBS} jobs through the platform`);
    await start('stub', 'dist/apps/sagemaker-stub/src/main.js', `http://127.0.0.1:${ports.stub}/ping`);
    const workerProcess = await start(
      'worker',
      'dist/apps/worker/src/main.js',
      `http://127.0.0.1:${ports.workerHealth}/health/live`,
      profiled,
    );
    const pipelineMemory = watchMemory([apiProcess, workerProcess]);
    const owner = subjectFor('bench');
    await submit(api, token).then(({ jobId }) => untilJobSucceeded(api, token, jobId)); // warm-up
    const before = await table.count(owner, 'SUCCEEDED');
    const callsBeforePipeline = await awsCalls(emulators);
    const pipelineStart = Date.now();
    const submitted = await inParallel(JOBS, SUBMITTERS, () => submit(api, token));
    await table.untilSucceeded(owner, before + JOBS);
    const submittedIds = new Set(submitted.map((job) => job.jobId));
    const jobs = (await table.all(owner)).filter((job) => submittedIds.has(job.jobId));
    const lastFinalized = Math.max(...jobs.map((job) => Date.parse(job.timings.finalizedAt ?? '')));
    const pipelineSeconds = (lastFinalized - pipelineStart) / 1000;
    const submitToInvoked = percentiles(jobs.map((job) => between(job.timings.submittedAt, job.timings.invokedAt)));
    const doneToSucceeded = percentiles(jobs.map((job) => between(job.timings.completedAt, job.timings.finalizedAt)));
    const loadMemory = pipelineMemory.stop();
    const pipelineCalls = callsPer(await settledCalls(emulators), callsBeforePipeline, JOBS);

    // GET of a SUCCEEDED job (its image URL presigned): the api, then the baseline reading the same job
    progress('api: GET of a SUCCEEDED job, the api and its baseline');
    const readBaseline = await start('baseline-read', 'dist/bench/bare/baseline-server.js', `${baselineUrl}/`, {
      BASELINE_OWNER: owner,
    });
    const ourGetTarget: Target = {
      url: `${api}/v1/jobs/${submitted[0]!.jobId}`,
      method: 'GET',
      token,
      server: apiProcess,
    };
    const baseGetTarget: Target = {
      url: `${baselineUrl}/v1/jobs/${submitted[0]!.jobId}`,
      method: 'GET',
      server: readBaseline,
    };
    await warmUp(ourGetTarget, baseGetTarget);
    const { ours: ourGet, baseline: baseGet } = await inTurns(
      { ours: ourGetTarget, baseline: baseGetTarget },
      emulators,
    );
    await readBaseline.stop();

    // 3. idle: one job at a time
    progress(`idle: ${IDLE_JOBS} jobs one at a time`);
    const idle: number[] = [];
    for (let index = 0; index < IDLE_JOBS; index += 1) {
      const { jobId } = await submit(api, token);
      const job = await untilJobSucceeded(api, token, jobId);
      idle.push(between(job.metadata.timings.completedAt, job.metadata.timings.finalizedAt));
    }
    const idleLatency = percentiles(idle);
    await workerProcess.stop();
    await apiProcess.stop();
    // The worker aborts its long polls when it stops, but the emulator (like SQS) still hands a message that arrives
    // to such an abandoned poll, and the message stays hidden for its visibility timeout: a ceiling started at once
    // would wait a minute for it. The polls lapse after their wait time.
    await new Promise((resolve) => setTimeout(resolve, (WORKER_WAIT_TIME_SECONDS + 1) * 1000));

    progress(`ceiling: ${JOBS} jobs, the same calls from a bare script`);
    const callsBeforeCeiling = await awsCalls(emulators);
    const ceilingLine = await (await start('ceiling', 'dist/bench/bare/ceiling.js', undefined)).exited;
    const ceilingCalls = callsPer(await settledCalls(emulators), callsBeforeCeiling, JOBS);
    const ceiling = JSON.parse(ceilingLine) as { jobsPerSecond: number; finalized: number };
    if (ceiling.finalized !== JOBS) {
      throw new Error(`the bare script finalized ${ceiling.finalized} of ${JOBS} jobs`);
    }

    const figures = {
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      api: {
        ratio: round(ourPost.requestsPerSecond / basePost.requestsPerSecond, 2),
        getRatio: round(ourGet.requestsPerSecond / baseGet.requestsPerSecond, 2),
        post: ourPost,
        baselinePost: basePost,
        get: ourGet,
        baselineGet: baseGet,
        rssMb: Math.max(apiMemory.api ?? 0, loadMemory.api ?? 0),
        baselineRssMb: apiMemory.baseline ?? 0,
        idleRssMb: apiIdleRssMb,
        ...(args.variant && variantPost
          ? {
              variant: {
                nodeFlags: args.variant,
                ratio: round(variantPost.requestsPerSecond / basePost.requestsPerSecond, 2),
                post: variantPost,
                rssMb: apiMemory['api-variant'] ?? 0,
              },
            }
          : {}),
      },
      pipeline: {
        jobs: JOBS,
        jobsPerSecond: round(JOBS / pipelineSeconds),
        ceilingJobsPerSecond: round(ceiling.jobsPerSecond),
        awsCallsPerJob: pipelineCalls,
        ceilingAwsCallsPerJob: ceilingCalls,
        ratio: round(JOBS / pipelineSeconds / ceiling.jobsPerSecond, 2),
        submitToInvokedMs: submitToInvoked,
        doneToSucceededMs: doneToSucceeded,
        notifyToSucceededP95Ms: idleLatency.p95,
        idleNotifyToSucceededMs: idleLatency,
        workerRssMb: loadMemory.worker ?? 0,
      },
    };
    report(figures);
    if (args.json) {
      console.log(JSON.stringify(figures));
    }
  } catch (error) {
    keepLogs = true;
    throw error;
  } finally {
    for (const child of started.reverse()) {
      await child.stop();
    }
    await idp.close();
    if (keepLogs) {
      progress(`logs kept in ${workDir}`);
    } else {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

interface JobView {
  status: string;
  metadata: { timings: StoredJob['timings'] };
}

async function untilJobSucceeded(api: string, token: string, jobId: string): Promise<JobView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await (
      await fetch(`${api}/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as JobView;
    if (job.status === 'SUCCEEDED') {
      return job;
    }
    if (job.status === 'FAILED' || Date.now() > deadline) {
      throw new Error(`job ${jobId} is ${job.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function report(figures: {
  machine: { cpus: number; cpu: string; node: string };
  api: {
    ratio: number;
    getRatio: number;
    post: Load;
    baselinePost: Load;
    get: Load;
    baselineGet: Load;
    rssMb: number;
    baselineRssMb: number;
    idleRssMb: number;
    variant?: { nodeFlags: string; ratio: number; post: Load; rssMb: number };
  };
  pipeline: {
    jobs: number;
    jobsPerSecond: number;
    ceilingJobsPerSecond: number;
    ratio: number;
    submitToInvokedMs: ReturnType<typeof percentiles>;
    doneToSucceededMs: ReturnType<typeof percentiles>;
    idleNotifyToSucceededMs: ReturnType<typeof percentiles>;
    workerRssMb: number;
    awsCallsPerJob: Record<string, number>;
    ceilingAwsCallsPerJob: Record<string, number>;
  };
}): void {
  const { machine, api, pipeline } = figures;
  const row = (name: string, ours: Load, base: Load, ratio: number): string =>
    `${name.padEnd(22)}${String(ours.requestsPerSecond).padStart(8)} req/s  p50 ${String(ours.p50Ms).padStart(4)} ms  p99 ${String(ours.p99Ms).padStart(4)} ms` +
    `   baseline ${String(base.requestsPerSecond).padStart(6)} req/s  p50 ${String(base.p50Ms).padStart(4)} ms   ratio ${ratio}` +
    (ours.errors + base.errors > 0 ? `   errors ${ours.errors}/${base.errors}` : '');
  const cpu = (name: string, ours: Load, base: Load): string =>
    `  CPU per ${name.padEnd(5)}       server ${ours.cpuMsPerRequest.server} ms, emulators ${ours.cpuMsPerRequest.emulators} ms` +
    `   baseline: server ${base.cpuMsPerRequest.server} ms, emulators ${base.cpuMsPerRequest.emulators} ms`;
  const listed = (calls: Record<string, number>): string =>
    Object.entries(calls)
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ');
  const calls = (name: string, ours: Load, base: Load): string =>
    `  AWS calls per ${name.padEnd(5)} ${listed(ours.awsCallsPerRequest)}   baseline: ${listed(base.awsCallsPerRequest)}`;
  const ms = (p: ReturnType<typeof percentiles>): string => `p50 ${p.p50} ms  p95 ${p.p95} ms  p99 ${p.p99} ms`;
  console.log(
    [
      `imggen bench: ${machine.cpus} × ${machine.cpu}, Node ${machine.node}, ${CONNECTIONS} connections, ${DURATION} s per load in ${ROUNDS} turns`,
      row('POST /v1/jobs', api.post, api.baselinePost, api.ratio),
      row('GET /v1/jobs/{id}', api.get, api.baselineGet, api.getRatio),
      cpu('POST', api.post, api.baselinePost),
      calls('POST', api.post, api.baselinePost),
      ...(api.variant
        ? [
            `  the api with ${api.variant.nodeFlags}: ${api.variant.post.requestsPerSecond} req/s, ratio ${api.variant.ratio}, ` +
              `CPU per POST ${api.variant.post.cpuMsPerRequest.server} ms, most resident memory ${api.variant.rssMb} MB ` +
              `(the api: ${api.rssMb} MB)`,
          ]
        : []),
      cpu('GET', api.get, api.baselineGet),
      calls('GET', api.get, api.baselineGet),
      `pipeline (${pipeline.jobs} jobs)     ${pipeline.jobsPerSecond} jobs/s   ceiling (bare script) ${pipeline.ceilingJobsPerSecond} jobs/s   ratio ${pipeline.ratio}`,
      `  AWS calls per job       ${listed(pipeline.awsCallsPerJob)}   bare: ${listed(pipeline.ceilingAwsCallsPerJob)}`,
      `  submit → invoked        ${ms(pipeline.submitToInvokedMs)}`,
      `  stub done → SUCCEEDED   ${ms(pipeline.doneToSucceededMs)}   (under load)`,
      `  stub done → SUCCEEDED   ${ms(pipeline.idleNotifyToSucceededMs)}   (idle, one job at a time)`,
      `resident memory          api ${api.rssMb} MB, worker ${pipeline.workerRssMb} MB (most seen under load; api at start ${api.idleRssMb} MB; baseline under POST load ${api.baselineRssMb} MB)`,
    ].join('\n'),
  );
}

await main();
