import { randomBytes } from 'node:crypto';
import type { Env } from '#libs/config';
import { type EmulatorPorts, startEmulators } from '#libs/local-stack';

/**
 * What stands in for AWS in a test stack (TEST_AWS_BACKEND):
 *  - `emulators` (the default): dynalite and fauxqs in the test's own process, on free ports, one pair per stack;
 *  - `localstack`: one LocalStack container for the whole run, at TEST_LOCALSTACK_ENDPOINT (`make test-localstack`
 *    starts it with testcontainers and sets both variables).
 */
export type AwsBackendKind = 'emulators' | 'localstack';

export const AWS_BACKEND_VARIABLE = 'TEST_AWS_BACKEND';
export const LOCALSTACK_ENDPOINT_VARIABLE = 'TEST_LOCALSTACK_ENDPOINT';

export function selectAwsBackend(env: Env = process.env): AwsBackendKind {
  const value = env[AWS_BACKEND_VARIABLE]?.trim() ?? '';
  if (value === '' || value === 'emulators') {
    return 'emulators';
  }
  if (value === 'localstack') {
    return 'localstack';
  }
  throw new Error(`${AWS_BACKEND_VARIABLE}=${value}: expected "emulators" (the default) or "localstack"`);
}

/** LocalStack's URL; an error saying what to run when it is missing (never a silent fall-back to the emulators). */
export function localStackEndpoint(env: Env = process.env): string {
  const value = env[LOCALSTACK_ENDPOINT_VARIABLE]?.trim();
  if (!value) {
    throw new Error(
      `${AWS_BACKEND_VARIABLE}=localstack but ${LOCALSTACK_ENDPOINT_VARIABLE} is not set: ` +
        '`make test-localstack` starts LocalStack and sets it',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${LOCALSTACK_ENDPOINT_VARIABLE}=${value} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${LOCALSTACK_ENDPOINT_VARIABLE}=${value} is not an http(s) URL`);
  }
  return url.origin;
}

/**
 * The env pointed at LocalStack instead of the emulators: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_DYNAMODB become its
 * URL, and so does the origin of every queue URL (JOBS_*_QUEUE_URL, JOBS_*DLQ_URL) that was under the emulators'.
 * Everything else, the SageMaker stub's endpoints included, is kept.
 */
export function pointAwsAtLocalStack(env: Env, endpoint: string): Env {
  const emulator = env.AWS_ENDPOINT_URL ? new URL(env.AWS_ENDPOINT_URL).origin : undefined;
  const pointed: Env = { ...env, AWS_ENDPOINT_URL: endpoint, AWS_ENDPOINT_URL_DYNAMODB: endpoint };
  for (const [variable, value] of Object.entries(env)) {
    if (/_(QUEUE|DLQ)_URL$/.test(variable) && emulator && value?.startsWith(`${emulator}/`)) {
      pointed[variable] = endpoint + value.slice(emulator.length);
    }
  }
  return pointed;
}

export interface TestAwsBackend {
  kind: AwsBackendKind;
  /** The emulators' ports (0 with LocalStack: the env's endpoints are rewritten by `environment`). */
  ports: EmulatorPorts;
  /** Resource name prefix: one LocalStack serves every stack of the run, so each stack names its own resources. */
  prefix: string;
  /** The stack's env (localEnvironment's) pointed at this backend. */
  environment(local: Env): Env;
  /** Stops what this stack started (the emulators; LocalStack belongs to the run, not to the stack). */
  stop(): Promise<void>;
}

export async function startAwsBackend(env: Env = process.env): Promise<TestAwsBackend> {
  if (selectAwsBackend(env) === 'localstack') {
    const endpoint = localStackEndpoint(env);
    return {
      kind: 'localstack',
      ports: { fauxqs: 0, dynalite: 0 },
      prefix: `imggen-test-${randomBytes(4).toString('hex')}`,
      environment: (local) => pointAwsAtLocalStack(local, endpoint),
      stop: () => Promise.resolve(),
    };
  }
  const emulators = await startEmulators({ ports: { fauxqs: 0, dynalite: 0 }, createTableMs: 0 });
  return {
    kind: 'emulators',
    ports: emulators.ports,
    prefix: 'imggen-test',
    environment: (local) => local,
    stop: () => emulators.stop(),
  };
}
