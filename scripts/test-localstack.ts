// make test-localstack: the integration suite against LocalStack (docker-compose.yml's image) started by
// testcontainers, instead of the in-process emulators. Arguments go to jest (default: --selectProjects integration).
//
//   DOCKER_HOST       the container engine (default: Docker's socket, else podman's /run/podman/podman.sock)
//   LOCALSTACK_IMAGE  another name for the same LocalStack image (a registry mirror); default: docker-compose.yml's
//
// Exits non-zero, saying which engine and image it tried and why, when LocalStack cannot be started: the tests are
// then not run, and nothing is reported as passed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureImage } from '../test/localstack/engine-image.js';
import {
  chooseEngine,
  DOCKER_SOCKET,
  localStackImage,
  runAgainstLocalStack,
} from '../test/localstack/localstack-run.js';

const root = path.resolve(import.meta.dirname, '..');
const choice = chooseEngine(process.env, existsSync);
Object.assign(process.env, choice.env);
const image =
  process.env.LOCALSTACK_IMAGE ?? localStackImage(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
const jestArgs = process.argv.length > 2 ? process.argv.slice(2) : ['--selectProjects', 'integration'];

const code = await runAgainstLocalStack({
  choice,
  image,
  async start(name) {
    // pulled first by hand: testcontainers only logs a failed pull, then fails on "no such image"
    await ensureImage(process.env.DOCKER_HOST ?? `unix://${DOCKER_SOCKET}`, name);
    // loaded here: testcontainers reads DOCKER_HOST when it first looks for an engine
    const { LocalstackContainer } = await import('@testcontainers/localstack');
    const container = await new LocalstackContainer(name)
      // the services the platform uses; queue URLs http://<host>:<port>/<account>/<name>, as its config expects
      .withEnvironment({ SERVICES: 'dynamodb,s3,sqs,sns', SQS_ENDPOINT_STRATEGY: 'off' })
      .start();
    return { endpoint: container.getConnectionUri(), stop: async () => void (await container.stop()) };
  },
  runTests(env) {
    return new Promise((resolve, reject) => {
      const jest = spawn(
        process.execPath,
        [
          '--experimental-vm-modules',
          '--no-warnings=ExperimentalWarning',
          path.join(root, 'node_modules/jest/bin/jest.js'),
          ...jestArgs,
        ],
        { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' },
      );
      jest.once('error', reject);
      jest.once('exit', (exitCode) => resolve(exitCode ?? 1));
    });
  },
  log: (line) => process.stderr.write(`${line}\n`),
});
process.exit(code);
