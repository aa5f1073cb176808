// npm run openapi:prism-walk
// A client's walk (submit, poll, list, page, models, a 400, a 401, a 404, a failed job, health) through Stoplight
// Prism's validating proxy (`prism proxy openapi.json <api>`), a validator this project did not write, against a
// test stack and an api on free ports. Prints each call and every response violation Prism reports; exits 1 on any.
// Prism is heavy (~180 packages), so it runs through npx without being saved as a dependency.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '#libs/local-stack';
import { createApiApp } from '../apps/api/src/app.factory.js';
import { loadApiConfig } from '../apps/api/src/config/api.config.js';
import { startWorker, tokenFor } from '../test/support/platform.js';
import { startTestStack } from '../test/support/test-stack.js';

const PRISM = '@stoplight/prism-cli@5.16.0';
// OPENAPI_DOCUMENT: another document to walk against (to see Prism catch a broken one)
const DOCUMENT = process.env.OPENAPI_DOCUMENT ?? fileURLToPath(new URL('../../openapi.json', import.meta.url));

interface Violation {
  location: string[];
  severity: string;
  message: string;
}

interface Call {
  label: string;
  status: number;
  body: unknown;
  violations: Violation[];
}

/** Starts `prism proxy` in its own process group and resolves once it says it listens. */
async function startPrism(apiUrl: string, port: number): Promise<ChildProcess> {
  const args = ['--yes', PRISM, 'proxy', DOCUMENT, apiUrl, '--host', '127.0.0.1', '--port', String(port)];
  const prism = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        resolve();
      }
    };
    prism.stdout?.on('data', read);
    prism.stderr?.on('data', read);
    void once(prism, 'exit').then(([code]) => reject(new Error(`prism exited ${String(code)}:\n${output}`)));
  });
  await listening;
  return prism;
}

/** Polls like a client does, until the job is final. */
async function untilFinal(poll: () => Promise<{ body: unknown }>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { status } = (await poll()).body as { status: string };
    if (['SUCCEEDED', 'FAILED'].includes(status)) {
      return;
    }
    await delay(100);
  }
  throw new Error('the job did not finish in 30 s');
}

async function main(): Promise<void> {
  const stack = await startTestStack();
  const apiPort = await freePort();
  const api = await createApiApp(loadApiConfig({ ...stack.env, API_PORT: String(apiPort) }));
  await api.listen(apiPort, '127.0.0.1');
  const worker = await startWorker(stack.env);
  const prismPort = await freePort();
  const prism = await startPrism(`http://127.0.0.1:${apiPort}`, prismPort);
  const calls: Call[] = [];
  try {
    const token = await tokenFor(stack.env, `walker-${Date.now()}`);
    const call = async (label: string, path: string, init: RequestInit = {}, auth = true): Promise<Call> => {
      const headers = new Headers(init.headers);
      if (auth) {
        headers.set('authorization', `Bearer ${token}`);
      }
      const response = await fetch(`http://127.0.0.1:${prismPort}${path}`, { ...init, headers });
      const text = await response.text();
      const header = response.headers.get('sl-violations');
      const result: Call = {
        label: `${label}: ${init.method ?? 'GET'} ${path}`,
        status: response.status,
        body: text ? (JSON.parse(text) as unknown) : undefined,
        violations: header ? (JSON.parse(header) as Violation[]) : [],
      };
      calls.push(result);
      return result;
    };
    const submit = (label: string, body: unknown) =>
      call(label, '/v1/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = (await submit('submit', { prompt: 'a lighthouse at dawn', seed: 7 })).body as { jobId: string };
    await untilFinal(() => call('poll', `/v1/jobs/${first.jobId}`));
    const failing = (await submit('submit a job the model fails', { prompt: 'please [fail]' })).body as {
      jobId: string;
    };
    await untilFinal(() => call('poll', `/v1/jobs/${failing.jobId}`));
    const page = (await call('list', '/v1/jobs?limit=1')).body as { nextCursor: string | null };
    await call('next page', `/v1/jobs?limit=1&cursor=${encodeURIComponent(page.nextCursor ?? '')}`);
    await call('list by status', '/v1/jobs?status=SUCCEEDED');
    await call('models', '/v1/models');
    await submit('a 400', { prompt: 'p', width: 1001 });
    await call('a 404', '/v1/jobs/01JD0000000000000000000000');
    await call('a 401', '/v1/jobs', {}, false);
    await call('liveness', '/health/live', {}, false);
    await call('readiness', '/health/ready', {}, false);
  } finally {
    process.kill(-prism.pid!, 'SIGTERM');
    await worker.close();
    await api.close();
    await stack.stop();
  }

  let responseViolations = 0;
  for (const { label, status, violations } of calls) {
    const ofResponse = violations.filter((violation) => violation.location[0] === 'response');
    const ofRequest = violations.filter((violation) => violation.location[0] === 'request');
    responseViolations += ofResponse.length;
    console.log(
      `${status} ${label}${ofRequest.length ? `  (request violations, sent on purpose: ${ofRequest.length})` : ''}`,
    );
    for (const violation of ofResponse) {
      console.log(
        `    RESPONSE VIOLATION [${violation.severity}] ${violation.location.join('.')}: ${violation.message}`,
      );
    }
  }
  console.log(`\n${calls.length} calls through prism proxy; ${responseViolations} response violation(s)`);
  process.exit(responseViolations === 0 ? 0 : 1);
}

await main();
