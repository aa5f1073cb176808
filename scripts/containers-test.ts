// The platform's containers, run and used (make test-containers, after docker/test/run.sh has built the images):
// the emulators (fauxqs, dynalite) run in this process on free ports and are provisioned as `make dev` does; the
// stub, dev IdP, api, worker and web images run with podman on the host network, each on its own free port. Then a
// job goes POST → SUCCEEDED through the api, worker and stub containers and its image is fetched; every
// container's process runs as a non-root user, its HEALTHCHECK answers, and it stops on SIGTERM with exit code 0.
//
//   IMAGE_PREFIX  image names are <prefix><service> (default localhost/imggen-); IMAGE_TAG (default test)
//   CONTAINERS_CONF  podman settings (docker/test/run.sh points it at docker/test/containers.conf)
//
// Exits non-zero on the first failed check, after printing the failing container's log.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Env, LOCAL_HOST, type LocalPorts, localEnvironment } from '#libs/config';
import { freePort, provisionResources, type RunningEmulators, startEmulators } from '#libs/local-stack';
import { waitFor } from '#libs/runtime';

const run = promisify(execFile);
const IMAGE_PREFIX = process.env.IMAGE_PREFIX ?? 'localhost/imggen-';
const IMAGE_TAG = process.env.IMAGE_TAG ?? 'test';
/** The `node` user of the official image (and of the stand-in base). */
const APP_UID = 1000;

interface Container {
  service: 'stub' | 'idp' | 'api' | 'worker' | 'web';
  name: string;
}

const containers: Container[] = [];

function say(line: string): void {
  process.stdout.write(`containers-test: ${line}\n`);
}

async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run('podman', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function ports(): Promise<LocalPorts> {
  return {
    api: await freePort(),
    web: await freePort(),
    fauxqs: await freePort(),
    dynalite: await freePort(),
    stub: await freePort(),
    idp: await freePort(),
    workerHealth: await freePort(),
    apiMetrics: await freePort(),
  };
}

async function startContainer(service: Container['service'], envFile: string, dataDir: string): Promise<Container> {
  const name = `imggen-test-${service}-${process.pid}`;
  const container = { service, name };
  containers.push(container);
  await podman(
    'run',
    '--detach',
    '--name',
    name,
    '--network=host',
    '--env-file',
    envFile,
    '--volume',
    `${dataDir}:/data`,
    `${IMAGE_PREFIX}${service}:${IMAGE_TAG}`,
  );
  return container;
}

/** The image's own HEALTHCHECK, run by podman inside the container: exit 0 once the service answers. */
async function healthy(container: Container): Promise<void> {
  await waitFor(
    async () => {
      await podman('healthcheck', 'run', container.name);
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 500, description: `${container.service}'s HEALTHCHECK` },
  );
}

/** The user of the container's PID 1 (the node process) and the image's USER. */
async function assertNonRoot(container: Container): Promise<void> {
  const status = await podman('exec', container.name, 'cat', '/proc/1/status');
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  const command = (await podman('exec', container.name, 'cat', '/proc/1/cmdline')).replaceAll('\0', ' ').trim();
  if (uid === 0 || Number.isNaN(uid)) {
    throw new Error(`${container.service}: PID 1 (${command}) runs as uid ${uid}`);
  }
  say(`${container.service}: PID 1 "${command}" runs as uid ${uid}, healthcheck answers`);
}

async function json(response: Response, what: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${what}: ${response.status} ${text}`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

async function jobThroughContainers(env: Env, port: LocalPorts): Promise<void> {
  const idp = `http://${LOCAL_HOST}:${port.idp}`;
  const api = `http://${LOCAL_HOST}:${port.api}`;
  const { access_token: token } = await json(
    await fetch(`${idp}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'container-test' }),
    }),
    'dev IdP token',
  );
  const auth = { authorization: `Bearer ${String(token)}` };
  const started = Date.now();
  const submitted = await fetch(`${api}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'a lighthouse, built and run in containers' }),
  });
  if (submitted.status !== 202) {
    throw new Error(`POST /v1/jobs answered ${submitted.status}: ${await submitted.text()}`);
  }
  const { jobId } = (await submitted.json()) as { jobId: string };
  say(`POST /v1/jobs → 202, job ${jobId}`);
  const job = await waitFor(
    async () => {
      const view = await json(await fetch(`${api}/v1/jobs/${jobId}`, { headers: auth }), `GET /v1/jobs/${jobId}`);
      return ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(String(view.status)) ? view : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 500, description: `job ${jobId} to end` },
  );
  if (job.status !== 'SUCCEEDED') {
    throw new Error(`job ${jobId} ended ${String(job.status)}: ${JSON.stringify(job)}`);
  }
  const images = job.images as { url: string }[];
  const image = await fetch(images[0]!.url);
  const bytes = (await image.arrayBuffer()).byteLength;
  if (!image.ok || bytes === 0) {
    throw new Error(`the job's image: ${image.status}, ${bytes} bytes`);
  }
  say(
    `job ${jobId} SUCCEEDED through the api, worker and stub containers in ${Date.now() - started} ms; ` +
      `its image: ${image.headers.get('content-type')}, ${bytes} bytes (from ${env.JOBS_IMAGES_BUCKET})`,
  );

  const web = `http://${LOCAL_HOST}:${port.web}`;
  const page = await fetch(`${web}/`);
  const config = await json(await fetch(`${web}/config.json`), 'web /config.json');
  const proxied = await fetch(`${web}/v1/jobs/${jobId}`, { headers: auth });
  if (!page.ok || !(await page.text()).includes('<div') || proxied.status !== 200) {
    throw new Error(`web: GET / ${page.status}, GET /v1/jobs/{id} through its proxy ${proxied.status}`);
  }
  say(`web: GET / → 200 (the dashboard), /config.json → ${JSON.stringify(config)}, its api proxy → 200`);
}

/** SIGTERM (podman stop) must end each service cleanly well before podman's SIGKILL (exit code 137). */
async function stopCleanly(container: Container): Promise<void> {
  const started = Date.now();
  await podman('stop', '--time', '15', container.name);
  const exitCode = Number(await podman('inspect', '--format', '{{.State.ExitCode}}', container.name));
  if (exitCode !== 0) {
    throw new Error(`${container.service} exited with code ${exitCode} on SIGTERM (137: it had to be killed)`);
  }
  say(`${container.service}: stopped on SIGTERM in ${Date.now() - started} ms, exit code 0`);
}

async function printLogs(): Promise<void> {
  for (const container of containers) {
    const logs = await run('podman', ['logs', '--tail', '40', container.name]).catch(() => undefined);
    if (logs) {
      process.stdout.write(`---- ${container.service} (last 40 lines)\n${logs.stdout}${logs.stderr}`);
    }
  }
}

async function removeContainers(): Promise<void> {
  for (const container of containers) {
    await run('podman', ['rm', '--force', '--time', '2', container.name]).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const port = await ports();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'imggen-containers-'));
  let emulators: RunningEmulators | undefined;
  try {
    // the containers' user writes the dev IdP's keys and the local webhook key file there
    await chown(dataDir, APP_UID, APP_UID).catch(() => chmod(dataDir, 0o777));
    emulators = await startEmulators({ ports: { fauxqs: port.fauxqs, dynalite: port.dynalite } });
    const env: Env = {
      ...localEnvironment({ ports: port }),
      LOG_LEVEL: 'info',
      STUB_COLD_START_MS: '0',
      STUB_BASE_INFERENCE_MS: '200',
      WORKER_WAIT_TIME_SECONDS: '1',
      // this test polls the job; the per-user request limit is not what it is about
      LIMITS_REQUESTS_PER_MINUTE: '100000',
    };
    await provisionResources({ env });
    say(`emulators on the host: fauxqs :${port.fauxqs}, dynalite :${port.dynalite}; resources provisioned`);
    const envFile = path.join(dataDir, 'containers.env');
    await writeFile(
      envFile,
      Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n'),
    );
    await chmod(envFile, 0o600);

    for (const service of ['stub', 'idp', 'api', 'worker', 'web'] as const) {
      await startContainer(service, envFile, dataDir);
    }
    for (const container of containers) {
      await healthy(container);
      await assertNonRoot(container);
    }
    await jobThroughContainers(env, port);
    for (const container of [...containers].reverse()) {
      await stopCleanly(container);
    }
    say('PASS');
  } catch (error) {
    process.exitCode = 1;
    await printLogs();
    say(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await removeContainers();
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
