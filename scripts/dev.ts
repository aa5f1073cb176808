// make dev / npm run dev: the whole platform on this machine, every server on 127.0.0.1 (DESIGN.md section 1).
//
// 1. Checks that every local port is free (naming the process that holds a busy one).
// 2. Starts fauxqs (S3, SQS, SNS) and dynalite (DynamoDB) in this process, persisted under .local/, and provisions
//    the resources (idempotent).
// 3. Starts the dev IdP and the SageMaker stub, then the api, the worker and the web server, from dist/, each with
//    localEnvironment() over the shell's environment, output prefixed with its name, and waits until each HTTP
//    service answers. An app whose entry file is not built is reported and skipped.
// 4. Ctrl-C / SIGTERM: SIGTERM to every child, SIGKILL after a timeout, then the emulators stop; exit 0.
//
// A child that dies on its own is reported with its exit code and the others keep running (the emulators and the
// rest of the platform stay useful, e.g. to debug the one that failed); restart make dev once it is fixed.
// If this process is killed outright, each child notices through dev-child-guard and stops itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_LOCAL_PORTS,
  type Env,
  LOCAL_HOST,
  type LocalPorts,
  localEnvironment,
  LOCAL_SERVICE_NODE_FLAGS,
} from '#libs/config';
import {
  assertPortsFree,
  PortInUseError,
  provisionResources,
  type RunningEmulators,
  startEmulators,
} from '#libs/local-stack';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_WAIT_MS = 3_000;

const here = path.dirname(fileURLToPath(import.meta.url));
// dist/scripts/dev.js → repository root two levels up.
const root = path.resolve(here, '../..');
const guard = path.join(here, 'dev-child-guard.js');

const useColor = process.env.FORCE_COLOR
  ? process.env.FORCE_COLOR !== '0'
  : !process.env.NO_COLOR && process.stdout.isTTY;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const red = paint(31);
const yellow = paint(33);

interface ServiceSpec {
  name: string;
  entry: string;
  color: (text: string) => string;
  /** URL that answers once the service is up, and which answers count. */
  ready?: { url: string; accept: (status: number) => boolean };
}

interface Service extends ServiceSpec {
  child?: ChildProcess;
  state: 'missing' | 'starting' | 'ready' | 'not answering' | 'exited';
  exit?: Promise<void>;
}

const NAME_WIDTH = 6;
const label = (name: string, color: (text: string) => string): string => color(name.padEnd(NAME_WIDTH)) + dim(' │ ');
const say = (text: string): void => {
  for (const line of text.split('\n')) {
    process.stdout.write(`${label('dev', bold)}${line}\n`);
  }
};

function services(ports: LocalPorts): ServiceSpec[] {
  const url = (port: number, pathname: string): string => `http://${LOCAL_HOST}:${port}${pathname}`;
  return [
    {
      name: 'idp',
      entry: 'dist/apps/dev-idp/src/main.js',
      color: paint(35),
      ready: { url: url(ports.idp, '/.well-known/jwks.json'), accept: (status) => status === 200 },
    },
    {
      name: 'stub',
      entry: 'dist/apps/sagemaker-stub/src/main.js',
      color: paint(36),
      ready: { url: url(ports.stub, '/'), accept: () => true },
    },
    {
      name: 'api',
      entry: 'dist/apps/api/src/main.js',
      color: paint(32),
      ready: { url: url(ports.api, '/health/live'), accept: (status) => status === 200 },
    },
    {
      name: 'worker',
      entry: 'dist/apps/worker/src/main.js',
      color: paint(34),
      ready: { url: url(ports.workerHealth, '/health/live'), accept: (status) => status === 200 },
    },
    {
      name: 'web',
      entry: 'dist/apps/web/src/main.js',
      color: paint(33),
      ready: { url: url(ports.web, '/'), accept: (status) => status === 200 },
    },
  ];
}

function childEnv(ports: LocalPorts, dataDir: string): Env {
  return {
    ...process.env,
    // The local values win over the shell's (a stray AWS_REGION or AWS_ENDPOINT_URL would point elsewhere).
    ...localEnvironment({ ports }),
    LOG_PRETTY: process.env.LOG_PRETTY ?? 'true',
    IDP_DATA_DIR: dataDir,
    ...(useColor ? { FORCE_COLOR: '1' } : {}),
  };
}

function pipeLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream): void {
  if (!stream) {
    return;
  }
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

let shuttingDown = false;

function start(service: Service, env: Env): void {
  const entry = path.join(root, service.entry);
  if (!existsSync(entry)) {
    service.state = 'missing';
    say(yellow(`${service.name}: ${service.entry} does not exist (not written or not built yet); running without it`));
    return;
  }
  const child = spawn(process.execPath, [...LOCAL_SERVICE_NODE_FLAGS, '--import', guard, entry], {
    cwd: root,
    env,
    // Own process group: Ctrl-C in the terminal reaches only this orchestrator, which stops the children in order.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  service.child = child;
  service.state = 'starting';
  const prefix = label(service.name, service.color);
  pipeLines(child.stdout, prefix, process.stdout);
  pipeLines(child.stderr, prefix, process.stderr);
  service.exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      service.state = 'exited';
      if (!shuttingDown) {
        const how = signal ? `signal ${signal}` : `exit code ${code ?? '?'}`;
        say(red(`${service.name} exited unexpectedly (${how}); the rest keeps running. Fix it and restart make dev.`));
      }
      resolve();
    });
    child.once('error', (error) => {
      say(red(`${service.name} could not be started: ${error.message}`));
      service.state = 'exited';
      resolve();
    });
  });
}

async function waitReady(service: Service): Promise<void> {
  if (!service.child || !service.ready) {
    if (service.state === 'starting') {
      service.state = 'ready';
    }
    return;
  }
  const { url, accept } = service.ready;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (service.state === 'exited') {
      return;
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (accept(response.status)) {
        service.state = 'ready';
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  service.state = 'not answering';
  say(yellow(`${service.name} does not answer ${url} after ${READY_TIMEOUT_MS / 1000} s; leaving it running`));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopAll(all: Service[], emulators: RunningEmulators | undefined): Promise<void> {
  const running = all.filter((service) => service.child && service.state !== 'exited');
  if (running.length > 0) {
    say(`stopping ${running.map((service) => service.name).join(', ')}`);
  }
  for (const service of running) {
    signalGroup(service.child!, 'SIGTERM');
  }
  await Promise.all(
    running.map(async (service) => {
      const timer = setTimeout(() => {
        say(yellow(`${service.name} still running after ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`));
        signalGroup(service.child!, 'SIGKILL');
      }, STOP_TIMEOUT_MS);
      await service.exit;
      clearTimeout(timer);
    }),
  );
  if (emulators) {
    say('stopping the emulators');
    await emulators.stop();
  }
}

async function waitForFreePorts(ports: LocalPorts): Promise<void> {
  const named = Object.fromEntries(Object.entries(ports));
  const deadline = Date.now() + PORT_WAIT_MS;
  for (;;) {
    try {
      await assertPortsFree(named, LOCAL_HOST);
      return;
    } catch (error) {
      // Children of a make dev that was just killed stop within a moment: give them that moment.
      if (!(error instanceof PortInUseError) || Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function banner(ports: LocalPorts, all: Service[], dataDir: string): void {
  const state = (name: string): string => {
    const service = all.find((candidate) => candidate.name === name);
    if (!service || service.state === 'ready') {
      return '';
    }
    return service.state === 'missing' ? yellow('  (not built)') : red(`  (${service.state})`);
  };
  const http = (port: number, pathname = ''): string => `http://${LOCAL_HOST}:${port}${pathname}`;
  const rows: [string, string, string][] = [
    ['api', http(ports.api), `health ${http(ports.api, '/health/live')}${state('api')}`],
    ['swagger', http(ports.api, '/docs'), `OpenAPI JSON at /docs-json${state('api')}`],
    ['web', http(ports.web), `dashboard: open it and sign in with any user name${state('web')}`],
    ['fauxqs', http(ports.fauxqs), 'S3, SQS, SNS (AWS_ENDPOINT_URL)'],
    ['dynalite', http(ports.dynalite), 'DynamoDB (AWS_ENDPOINT_URL_DYNAMODB)'],
    ['stub', http(ports.stub), `SageMaker runtime stub${state('stub')}`],
    ['idp', http(ports.idp), `dev identity provider, JWKS at /.well-known/jwks.json${state('idp')}`],
    ['worker', http(ports.workerHealth), `SQS consumer, health at /health/live and /health/ready${state('worker')}`],
    [
      'metrics',
      http(ports.apiMetrics, '/metrics'),
      `Prometheus text: api here, worker at :${ports.workerHealth}/metrics`,
    ],
  ];
  const api = http(ports.api);
  // the widest URL (the metrics one) still gets a space before its note
  const urlWidth = Math.max(...rows.map(([, url]) => url.length)) + 2;
  const lines = [
    '',
    bold('imggen is running') + dim('  (Ctrl-C to stop; data in ' + path.relative(root, dataDir) + '/)'),
    ...rows.map(([name, url, note]) => `  ${name.padEnd(9)}${url.padEnd(urlWidth)}${dim(note)}`),
    '',
    bold('Quick start'),
    `  open ${http(ports.web)} and sign in with any user name (tick Administrator to see everyone's usage), or:`,
    '  TOKEN=$(npm run -s token -- alice)',
    `  curl -s -X POST ${api}/v1/jobs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"prompt":"A beautiful sunset over mountains"}'`,
    `  curl -s ${api}/v1/jobs/<jobId> -H "Authorization: Bearer $TOKEN"`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const ports = DEFAULT_LOCAL_PORTS;
  const dataDir = path.resolve(root, process.env.LOCAL_DATA_DIR ?? '.local');
  const all: Service[] = services(ports).map((spec) => ({ ...spec, state: 'starting' }));
  let emulators: RunningEmulators | undefined;
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode: number): void => {
    if (stopping) {
      return;
    }
    shuttingDown = true;
    say(`${reason}: shutting down`);
    stopping = stopAll(all, emulators).then(
      () => {
        say('stopped');
        process.exit(exitCode);
      },
      (error: unknown) => {
        say(red(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`));
        process.exit(1);
      },
    );
  };
  // A second Ctrl-C while stopping is ignored (npm forwards the terminal's SIGINT, so one may arrive twice).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => shutdown(signal, 0));
  }

  try {
    await waitForFreePorts(ports);
    say(`starting fauxqs on :${ports.fauxqs} and dynalite on :${ports.dynalite} (data in ${dataDir})`);
    emulators = await startEmulators({ ports: { fauxqs: ports.fauxqs, dynalite: ports.dynalite }, dataDir });
    if (stopping) {
      return;
    }
    const provisioned = await provisionResources({
      env: localEnvironment({ ports }),
      log: (line) => say(dim(line)),
    });
    say(
      provisioned.changes.length === 0
        ? 'AWS resources already in place'
        : `provisioned ${provisioned.changes.length} change(s)`,
    );

    const env = childEnv(ports, dataDir);
    // The identity provider and the stub first: the api and the worker talk to them.
    for (const phase of [
      ['idp', 'stub'],
      ['api', 'worker', 'web'],
    ]) {
      const batch = all.filter((service) => phase.includes(service.name));
      for (const service of batch) {
        if (!stopping) {
          start(service, env);
        }
      }
      await Promise.all(batch.map(waitReady));
    }
    if (!stopping) {
      banner(ports, all, dataDir);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(red(message));
    shutdown('startup failed', 1);
  }
}

await main();
