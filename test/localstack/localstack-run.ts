// `make test-localstack`: the integration suite against LocalStack, started by testcontainers. What is decided here
// (which container engine, which image, what a failure to start means) is kept apart from the I/O so that it can be
// tested: scripts/test-localstack.ts wires it to testcontainers and jest.
import { AWS_BACKEND_VARIABLE, LOCALSTACK_ENDPOINT_VARIABLE } from '../support/aws-backend.js';

export const DOCKER_SOCKET = '/var/run/docker.sock';
/** Where rootful podman serves its Docker-compatible API (`podman system service`). */
export const PODMAN_SOCKET = '/run/podman/podman.sock';

export interface EngineChoice {
  /** What testcontainers will talk to, for the messages; undefined when no engine was found. */
  engine?: string;
  /** Every place looked at, in order (said when none answers). */
  lookedFor: string[];
  /** Variables to set for testcontainers (DOCKER_HOST and no Ryuk for podman's socket). */
  env: Record<string, string>;
}

/**
 * The engine testcontainers should use: DOCKER_HOST when set, else Docker's socket, else podman's (rootful, or the
 * user's under XDG_RUNTIME_DIR). testcontainers' Ryuk (its clean-up container) is turned off for podman, as its
 * documentation advises; the runner stops LocalStack itself.
 */
export function chooseEngine(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): EngineChoice {
  if (env.DOCKER_HOST) {
    return { engine: `DOCKER_HOST=${env.DOCKER_HOST}`, lookedFor: ['DOCKER_HOST'], env: {} };
  }
  const podmanSockets = [PODMAN_SOCKET, ...(env.XDG_RUNTIME_DIR ? [`${env.XDG_RUNTIME_DIR}/podman/podman.sock`] : [])];
  const lookedFor = ['DOCKER_HOST (not set)', DOCKER_SOCKET, ...podmanSockets];
  if (exists(DOCKER_SOCKET)) {
    return { engine: `Docker at unix://${DOCKER_SOCKET}`, lookedFor, env: {} };
  }
  const podman = podmanSockets.find((socket) => exists(socket));
  if (podman) {
    return {
      engine: `podman at unix://${podman}`,
      lookedFor,
      env: {
        DOCKER_HOST: `unix://${podman}`,
        TESTCONTAINERS_RYUK_DISABLED: env.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
      },
    };
  }
  return { lookedFor, env: {} };
}

/** The LocalStack image of docker-compose.yml's localstack service: the suite runs on the version compose runs. */
export function localStackImage(composeFile: string): string {
  const image = /^ {2}localstack:\n(?: {4}.*\n)*? {4}image: *['"]?([^'"\s]+)/m.exec(composeFile)?.[1];
  if (!image) {
    throw new Error('docker-compose.yml has no localstack service with an image');
  }
  if (!/:[\w][\w.-]*$/.test(image) || image.endsWith(':latest')) {
    throw new Error(`docker-compose.yml's LocalStack image ${image} is not pinned to a version`);
  }
  return image;
}

export type StartFailure = 'no-engine' | 'image-unavailable' | 'start-failed';

/** What went wrong, from testcontainers' (dockerode's) error. */
export function classifyStartFailure(error: unknown): StartFailure {
  const message = errorText(error);
  if (
    /Could not find a working container runtime strategy|ECONNREFUSED|ENOENT|EACCES|connect .*\.sock|socket hang up/i.test(
      message,
    )
  ) {
    return 'no-engine';
  }
  if (
    /pull|manifest|registry|no such image|not found: .*image|unauthorized|denied|no such host|getaddrinfo|i\/o timeout|TLS handshake|docker\.io/i.test(
      message,
    )
  ) {
    return 'image-unavailable';
  }
  return 'start-failed';
}

const FAILURE_TEXT: Record<StartFailure, string> = {
  'no-engine': 'no container engine answered',
  'image-unavailable': 'the image is not there and could not be pulled',
  'start-failed': 'LocalStack did not start',
};

/** The message printed when LocalStack cannot be started: no test ran, and it says why. */
export function notRunReport(options: {
  choice: EngineChoice;
  image: string;
  failure: StartFailure;
  error?: unknown;
}): string {
  const { choice, image, failure, error } = options;
  const lines = [
    'test-localstack: NOT RUN: LocalStack could not be started, so no test ran (this is a failure, not a pass).',
    `  container engine: ${choice.engine ?? `none found (looked for ${choice.lookedFor.join(', ')})`}`,
    `  image:            ${image}`,
    `  what failed:      ${FAILURE_TEXT[failure]}`,
  ];
  if (error !== undefined) {
    lines.push(
      ...errorText(error)
        .trim()
        .split('\n')
        .slice(0, 6)
        .map((line) => `                    ${line}`),
    );
  }
  lines.push(
    '  it needs:         a container engine that testcontainers reaches (Docker; or podman with',
    '                    `podman system service` and DOCKER_HOST=unix:///run/podman/podman.sock), which has the',
    `                    image or can pull it (docker pull ${image}; LOCALSTACK_IMAGE names another copy of it)`,
  );
  return lines.join('\n');
}

export interface StartedLocalStack {
  endpoint: string;
  stop(): Promise<void>;
}

export interface LocalStackRun {
  choice: EngineChoice;
  image: string;
  start(image: string): Promise<StartedLocalStack>;
  /** Runs the tests with these variables added; resolves to the runner's exit code. */
  runTests(env: Record<string, string>): Promise<number>;
  log(line: string): void;
}

/**
 * Starts LocalStack, runs the tests against it and stops it. Resolves to the exit code: the tests' own, or 1 when
 * LocalStack could not be started (then the tests are not run at all, and the report says so).
 */
export async function runAgainstLocalStack(run: LocalStackRun): Promise<number> {
  const { choice, image } = run;
  if (!choice.engine) {
    run.log(notRunReport({ choice, image, failure: 'no-engine' }));
    return 1;
  }
  run.log(`test-localstack: starting ${image} with testcontainers (${choice.engine})`);
  let localStack: StartedLocalStack;
  try {
    localStack = await run.start(image);
  } catch (error) {
    run.log(notRunReport({ choice, image, failure: classifyStartFailure(error), error }));
    return 1;
  }
  run.log(`test-localstack: LocalStack ${image} answers at ${localStack.endpoint}; running the tests against it`);
  let code: number;
  try {
    code = await run.runTests({
      [AWS_BACKEND_VARIABLE]: 'localstack',
      [LOCALSTACK_ENDPOINT_VARIABLE]: localStack.endpoint,
    });
  } finally {
    // the verdict is the tests': a container that would not stop is said, not counted against them
    await localStack.stop().catch((error: unknown) => {
      run.log(`test-localstack: warning: stopping LocalStack failed: ${errorText(error)}`);
    });
  }
  run.log(
    code === 0
      ? `test-localstack: PASS against LocalStack ${image}`
      : `test-localstack: FAIL (exit code ${code}) against LocalStack ${image}`,
  );
  return code;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause === undefined ? '' : `\n${errorText(error.cause)}`;
    return `${error.message}${cause}`;
  }
  return String(error);
}
