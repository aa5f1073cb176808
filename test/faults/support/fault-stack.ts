import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Env, LOCAL_CLIENT_ID, localEnvironment } from '#libs/config';
import { freePort, provisionResources, type RunningEmulators, startEmulators } from '#libs/local-stack';
import { type RunningDevIdp, startDevIdp } from '../../../apps/dev-idp/src/idp.js';
import { loadStubConfig } from '../../../apps/sagemaker-stub/src/config.js';
import { type RunningStub, startStub } from '../../../apps/sagemaker-stub/src/server.js';
import { startApi, startWorker } from '../../support/platform.js';
import { TEST_ENV } from '../../support/test-stack.js';
import { AppProcess } from './app-process.js';
import { JobWriteTap } from './job-write-tap.js';

/** Starting a stack (and its child processes) on a loaded 2-core machine can take far longer than jest's 30 s. */
export const HOOK_TIMEOUT_MS = 120_000;

export interface FaultStackOptions {
  /** Variables for every app (stub timings, worker settings...). */
  overrides?: Env;
  /**
   * Persist the emulators on a temporary data dir (the `.local/` of `make dev`) and run them in a process of their
   * own, so `restart()` can kill and start the whole stack. In memory and in this process otherwise.
   */
  persistent?: boolean;
}

/**
 * The local platform for a fault test: dynalite and fauxqs (provisioned as `make dev` does), the dev identity
 * provider, and every job write watched by a JobWriteTap. The worker and the stub start as separate OS processes
 * (or in this process when no test kills them); the api runs in this process. `stop()` ends everything started.
 */
export class FaultStack {
  /** Every stack started in this test file, even one whose start outlived its hook's timeout. */
  private static readonly started = new Set<FaultStack>();
  private readonly processes = new Set<AppProcess>();
  private readonly closables: { close(): Promise<void> }[] = [];
  private emulators?: RunningEmulators | AppProcess;
  private idp?: RunningDevIdp;

  private constructor(
    /** What every app gets: DynamoDB through the tap. */
    readonly env: Env,
    readonly tap: JobWriteTap,
    /** The same, DynamoDB straight at dynalite (provisioning). */
    private readonly direct: Env,
    private readonly dataDir: string,
    private readonly ports: { fauxqs: number; dynalite: number; idp: number },
    private readonly persistent: boolean,
  ) {}

  static async start({ overrides = {}, persistent = false }: FaultStackOptions = {}): Promise<FaultStack> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'imggen-faults-'));
    const ports = { fauxqs: await freePort(), dynalite: await freePort(), idp: await freePort() };
    const direct: Env = {
      ...localEnvironment({
        ports: { ...ports, api: 0, web: 0, stub: await freePort(), workerHealth: 0, apiMetrics: 0 },
        environment: 'test',
        prefix: 'imggen-faults',
      }),
      ...TEST_ENV,
      WEBHOOKS_LOCAL_KEY_FILE: path.join(dataDir, 'webhook-secrets.key'),
      ...overrides,
    };
    const tap = await JobWriteTap.start(ports.dynalite, direct.JOBS_TABLE!);
    const env = { ...direct, AWS_ENDPOINT_URL_DYNAMODB: tap.url };
    const stack = new FaultStack(env, tap, direct, dataDir, ports, persistent);
    FaultStack.started.add(stack);
    await stack.startAws();
    await stack.startIdp();
    return stack;
  }

  /** The api in this process (supertest on getHttpServer()); its answers are checked against openapi.json. */
  async api(overrides: Env = {}): Promise<NestFastifyApplication> {
    return this.track(await startApi(this.env, overrides));
  }

  /** The worker in this process, for tests that never kill it. */
  async inProcessWorker(overrides: Env = {}): Promise<INestApplicationContext> {
    return this.track(await startWorker(this.env, overrides));
  }

  /** The stub in this process, for tests that never kill it. */
  async inProcessStub(overrides: Env = {}): Promise<RunningStub> {
    const stub = await startStub({ config: loadStubConfig({ ...this.env, ...overrides }) });
    return this.track(stub);
  }

  /** The worker (apps/worker/src/main.ts) as a process of its own; resolves once it is ready. */
  async workerProcess(overrides: Env = {}): Promise<AppProcess> {
    const port = await freePort();
    const worker = this.spawn('worker', 'apps/worker/src/main.ts', {
      ...this.env,
      WORKER_HEALTH_PORT: String(port),
      ...overrides,
    });
    return worker.ready(`http://127.0.0.1:${port}/health/ready`);
  }

  /** The SageMaker stub (apps/sagemaker-stub/src/main.ts) as a process of its own, on the stack's stub port. */
  async stubProcess(overrides: Env = {}): Promise<AppProcess> {
    const stub = this.spawn('stub', 'apps/sagemaker-stub/src/main.ts', { ...this.env, ...overrides });
    return stub.ready(`${this.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME}/`, () => true);
  }

  /**
   * Kills the whole stack at once, as a crash or a pulled plug would (SIGKILL: the emulators' process, the worker
   * and the stub; the api and the identity provider closed), then starts the emulators again on the same data dir
   * and ports, provisions and starts the identity provider, as `make dev` does. The caller starts the api, worker
   * and stub again.
   */
  async crashAndRestart(): Promise<void> {
    if (!this.persistent) {
      throw new Error('crashAndRestart needs a persistent stack');
    }
    await Promise.all([...this.processes].map((app) => app.kill()));
    this.processes.clear();
    for (const closable of this.closables.splice(0).reverse()) {
      await closable.close();
    }
    await this.idp?.close();
    await this.startAws();
    await this.startIdp();
  }

  /** Stops every stack this file started (afterAll): none is left running, even after a failed start. */
  static async stopAll(): Promise<void> {
    const stacks = [...FaultStack.started];
    FaultStack.started.clear();
    await Promise.all(stacks.map((stack) => stack.stop()));
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.processes].map((app) => app.kill()));
    for (const closable of this.closables.splice(0).reverse()) {
      await closable.close().catch(() => undefined);
    }
    await this.idp?.close();
    if (this.emulators && !(this.emulators instanceof AppProcess)) {
      await this.emulators.stop();
    }
    await this.tap.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** The emulators, then provisioning (idempotent: a no-op on a restored data dir), as `make dev` starts. */
  private async startAws(): Promise<void> {
    const { fauxqs, dynalite } = this.ports;
    if (this.persistent) {
      const emulators = this.spawn('emulators', 'test/faults/support/emulators-process.ts', this.env, [
        path.join(this.dataDir, 'aws'),
        String(fauxqs),
        String(dynalite),
      ]);
      await emulators.line('READY ');
      this.emulators = emulators;
    } else {
      this.emulators = await startEmulators({ ports: { fauxqs, dynalite }, createTableMs: 0 });
    }
    await provisionResources({ env: this.direct, maxReceiveCount: Number(this.direct.WORKER_MAX_RECEIVE_COUNT) });
  }

  private async startIdp(): Promise<void> {
    this.idp = await startDevIdp({
      port: this.ports.idp,
      issuer: this.env.AUTH_ISSUER!,
      clientId: LOCAL_CLIENT_ID,
      dataDir: this.dataDir,
    });
  }

  private spawn(name: string, entry: string, env: Env, args: string[] = []): AppProcess {
    const app = AppProcess.spawn(name, entry, env, args);
    this.processes.add(app);
    return app;
  }

  private track<T extends { close(): Promise<void> }>(closable: T): T {
    this.closables.push(closable);
    return closable;
  }
}
