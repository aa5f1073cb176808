import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  chooseEngine,
  classifyStartFailure,
  DOCKER_SOCKET,
  type EngineChoice,
  localStackImage,
  type LocalStackRun,
  notRunReport,
  PODMAN_SOCKET,
  runAgainstLocalStack,
} from './localstack-run.js';

const existing =
  (...paths: string[]) =>
  (candidate: string): boolean =>
    paths.includes(candidate);

/** What podman answers through its Docker API when Docker Hub cannot be reached (seen on the CI machines). */
const PULL_FAILURE =
  '(HTTP code 500) server error - initializing source docker://localstack/localstack:3.8.1: pinging container ' +
  'registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: ' +
  'no such host';

describe('make test-localstack', () => {
  describe('chooseEngine', () => {
    it('takes DOCKER_HOST as it is when set', () => {
      const choice = chooseEngine({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, existing(DOCKER_SOCKET, PODMAN_SOCKET));
      expect(choice).toEqual({ engine: 'DOCKER_HOST=tcp://10.0.0.5:2375', lookedFor: ['DOCKER_HOST'], env: {} });
    });

    it('prefers Docker’s socket to podman’s', () => {
      const choice = chooseEngine({}, existing(DOCKER_SOCKET, PODMAN_SOCKET));
      expect(choice.engine).toBe('Docker at unix:///var/run/docker.sock');
      expect(choice.env).toEqual({});
    });

    it('points testcontainers at podman’s socket, without Ryuk, when only podman serves one', () => {
      const choice = chooseEngine({}, existing(PODMAN_SOCKET));
      expect(choice.engine).toBe('podman at unix:///run/podman/podman.sock');
      expect(choice.env).toEqual({
        DOCKER_HOST: 'unix:///run/podman/podman.sock',
        TESTCONTAINERS_RYUK_DISABLED: 'true',
      });
    });

    it('finds a rootless podman’s socket under XDG_RUNTIME_DIR', () => {
      const choice = chooseEngine({ XDG_RUNTIME_DIR: '/run/user/1000' }, existing('/run/user/1000/podman/podman.sock'));
      expect(choice.env.DOCKER_HOST).toBe('unix:///run/user/1000/podman/podman.sock');
    });

    it('finds no engine, and lists where it looked, when nothing is there', () => {
      const choice = chooseEngine({ XDG_RUNTIME_DIR: '/run/user/0' }, existing());
      expect(choice.engine).toBeUndefined();
      expect(choice.lookedFor).toEqual([
        'DOCKER_HOST (not set)',
        DOCKER_SOCKET,
        PODMAN_SOCKET,
        '/run/user/0/podman/podman.sock',
      ]);
    });
  });

  describe('localStackImage', () => {
    it('is docker-compose.yml’s pinned LocalStack image', () => {
      const compose = readFileSync(path.join(import.meta.dirname, '../../docker-compose.yml'), 'utf8');
      expect(localStackImage(compose)).toMatch(/^localstack\/localstack:\d+\.\d+\.\d+$/);
      expect(compose).toContain(`image: ${localStackImage(compose)}`);
    });

    it('refuses an unpinned image and a compose file without LocalStack', () => {
      expect(() => localStackImage('services:\n  localstack:\n    image: localstack/localstack\n')).toThrow(
        'is not pinned to a version',
      );
      expect(() => localStackImage('services:\n  localstack:\n    image: localstack/localstack:latest\n')).toThrow(
        'is not pinned to a version',
      );
      expect(() => localStackImage('services:\n  api:\n    image: imggen-api:local\n')).toThrow(
        'docker-compose.yml has no localstack service with an image',
      );
    });
  });

  describe('classifyStartFailure', () => {
    it('tells a missing engine from an image that cannot be pulled', () => {
      expect(classifyStartFailure(new Error('Could not find a working container runtime strategy'))).toBe('no-engine');
      expect(classifyStartFailure(new Error('connect ENOENT /run/podman/podman.sock'))).toBe('no-engine');
      expect(classifyStartFailure(new Error('connect ECONNREFUSED /var/run/docker.sock'))).toBe('no-engine');
      expect(classifyStartFailure(new Error(PULL_FAILURE))).toBe('image-unavailable');
      expect(classifyStartFailure(new Error('(HTTP code 404) no such image - localstack/localstack:9.9.9'))).toBe(
        'image-unavailable',
      );
      expect(classifyStartFailure(new Error('Container exited before log message "Ready"'))).toBe('start-failed');
    });
  });

  describe('notRunReport', () => {
    const choice: EngineChoice = chooseEngine({}, existing(PODMAN_SOCKET));

    it('names the engine, the image and the cause, and says that no test ran', () => {
      const report = notRunReport({
        choice,
        image: 'localstack/localstack:3.8.1',
        failure: 'image-unavailable',
        error: new Error(PULL_FAILURE),
      });
      expect(report).toContain(
        'NOT RUN: LocalStack could not be started, so no test ran (this is a failure, not a pass)',
      );
      expect(report).toContain('container engine: podman at unix:///run/podman/podman.sock');
      expect(report).toContain('image:            localstack/localstack:3.8.1');
      expect(report).toContain('what failed:      the image is not there and could not be pulled');
      expect(report).toContain('lookup registry-1.docker.io: no such host');
      expect(report).not.toMatch(/\bPASS\b/);
    });

    it('lists where it looked when there is no engine', () => {
      const report = notRunReport({
        choice: chooseEngine({}, existing()),
        image: 'localstack/localstack:3.8.1',
        failure: 'no-engine',
      });
      expect(report).toContain(
        'container engine: none found (looked for DOCKER_HOST (not set), /var/run/docker.sock, /run/podman/podman.sock)',
      );
      expect(report).toContain('what failed:      no container engine answered');
    });
  });

  describe('runAgainstLocalStack', () => {
    function fakeRun(overrides: Partial<LocalStackRun> = {}): LocalStackRun & {
      lines: string[];
      testRuns: Record<string, string>[];
      stopped: number;
    } {
      const fake = {
        choice: chooseEngine({}, existing(PODMAN_SOCKET)),
        image: 'localstack/localstack:3.8.1',
        lines: [] as string[],
        testRuns: [] as Record<string, string>[],
        stopped: 0,
        start: () =>
          Promise.resolve({
            endpoint: 'http://localhost:32771',
            stop: () => {
              fake.stopped += 1;
              return Promise.resolve();
            },
          }),
        runTests: (env: Record<string, string>) => {
          fake.testRuns.push(env);
          return Promise.resolve(0);
        },
        log: (line: string) => fake.lines.push(line),
        ...overrides,
      };
      return fake;
    }

    it('runs the tests against the started LocalStack, stops it and passes on their verdict', async () => {
      const run = fakeRun();
      await expect(runAgainstLocalStack(run)).resolves.toBe(0);
      expect(run.testRuns).toEqual([
        { TEST_AWS_BACKEND: 'localstack', TEST_LOCALSTACK_ENDPOINT: 'http://localhost:32771' },
      ]);
      expect(run.stopped).toBe(1);
      expect(run.lines.at(-1)).toBe('test-localstack: PASS against LocalStack localstack/localstack:3.8.1');
    });

    it('fails with the tests’ exit code when they fail, and still stops LocalStack', async () => {
      const run = fakeRun({ runTests: () => Promise.resolve(1) });
      await expect(runAgainstLocalStack(run)).resolves.toBe(1);
      expect(run.stopped).toBe(1);
      expect(run.lines.at(-1)).toContain('FAIL (exit code 1)');
    });

    it('runs no test and fails, saying why, when the image cannot be pulled', async () => {
      const run = fakeRun({ start: () => Promise.reject(new Error(PULL_FAILURE)) });
      await expect(runAgainstLocalStack(run)).resolves.toBe(1);
      expect(run.testRuns).toEqual([]);
      expect(run.lines.join('\n')).toContain('what failed:      the image is not there and could not be pulled');
      expect(run.lines.join('\n')).not.toContain('PASS');
    });

    it('runs nothing and fails when no engine was found, without trying to start a container', async () => {
      let started = false;
      const run = fakeRun({
        choice: chooseEngine({}, existing()),
        start: () => {
          started = true;
          return Promise.reject(new Error('unreachable'));
        },
      });
      await expect(runAgainstLocalStack(run)).resolves.toBe(1);
      expect(started).toBe(false);
      expect(run.testRuns).toEqual([]);
      expect(run.lines.join('\n')).toContain('container engine: none found');
    });
  });
});
