import { localEnvironment, type LocalPorts } from '#libs/config';
import {
  localStackEndpoint,
  pointAwsAtLocalStack,
  selectAwsBackend,
  startAwsBackend,
  type TestAwsBackend,
} from './aws-backend.js';

const ports: LocalPorts = {
  api: 41001,
  web: 41002,
  fauxqs: 41003,
  dynalite: 41004,
  stub: 41005,
  idp: 41006,
  workerHealth: 41007,
  apiMetrics: 41008,
};
const LOCALSTACK = 'http://localhost:32771';

describe('the test stacks’ AWS backend', () => {
  describe('selectAwsBackend (TEST_AWS_BACKEND)', () => {
    it('is the in-process emulators unless LocalStack is asked for', () => {
      expect(selectAwsBackend({})).toBe('emulators');
      expect(selectAwsBackend({ TEST_AWS_BACKEND: '' })).toBe('emulators');
      expect(selectAwsBackend({ TEST_AWS_BACKEND: 'emulators' })).toBe('emulators');
      expect(selectAwsBackend({ TEST_AWS_BACKEND: 'localstack' })).toBe('localstack');
    });

    it('refuses a value it does not know rather than running the tests against something else', () => {
      expect(() => selectAwsBackend({ TEST_AWS_BACKEND: 'LocalStack' })).toThrow(
        'TEST_AWS_BACKEND=LocalStack: expected "emulators" (the default) or "localstack"',
      );
      expect(() => selectAwsBackend({ TEST_AWS_BACKEND: 'aws' })).toThrow('TEST_AWS_BACKEND=aws');
    });
  });

  describe('localStackEndpoint (TEST_LOCALSTACK_ENDPOINT)', () => {
    it('is the URL’s origin', () => {
      expect(localStackEndpoint({ TEST_LOCALSTACK_ENDPOINT: `${LOCALSTACK}/` })).toBe(LOCALSTACK);
    });

    it('says what to run when it is missing, instead of falling back to the emulators', () => {
      expect(() => localStackEndpoint({ TEST_AWS_BACKEND: 'localstack' })).toThrow(
        'TEST_AWS_BACKEND=localstack but TEST_LOCALSTACK_ENDPOINT is not set: `make test-localstack` starts LocalStack and sets it',
      );
      expect(() => localStackEndpoint({ TEST_LOCALSTACK_ENDPOINT: ' ' })).toThrow('is not set');
    });

    it('refuses what is not an http(s) URL', () => {
      expect(() => localStackEndpoint({ TEST_LOCALSTACK_ENDPOINT: 'localhost:4566' })).toThrow(
        'TEST_LOCALSTACK_ENDPOINT=localhost:4566 is not an http(s) URL',
      );
      expect(() => localStackEndpoint({ TEST_LOCALSTACK_ENDPOINT: 'not a url' })).toThrow('is not a URL');
    });
  });

  describe('pointAwsAtLocalStack', () => {
    const local = localEnvironment({ ports, environment: 'test', prefix: 'imggen-test-abc' });
    const pointed = pointAwsAtLocalStack(local, LOCALSTACK);

    it('sends DynamoDB, S3, SQS and SNS to LocalStack', () => {
      expect(pointed.AWS_ENDPOINT_URL).toBe(LOCALSTACK);
      expect(pointed.AWS_ENDPOINT_URL_DYNAMODB).toBe(LOCALSTACK);
    });

    it('moves every queue URL to LocalStack, keeping its path', () => {
      for (const variable of [
        'JOBS_QUEUE_URL',
        'JOBS_DLQ_URL',
        'JOBS_WEBHOOK_QUEUE_URL',
        'JOBS_WEBHOOK_DLQ_URL',
        'JOBS_PROGRESS_QUEUE_URL',
      ]) {
        expect(pointed[variable]).toBe(`${LOCALSTACK}${new URL(local[variable]!).pathname}`);
      }
    });

    it('leaves nothing pointing at the emulators', () => {
      const emulators = [`127.0.0.1:${ports.fauxqs}`, `127.0.0.1:${ports.dynalite}`];
      const leftovers = Object.entries(pointed).filter(([, value]) => emulators.some((host) => value?.includes(host)));
      expect(leftovers).toEqual([]);
    });

    it('keeps the SageMaker stub and every other setting as they were', () => {
      const changed = Object.keys(local).filter((variable) => pointed[variable] !== local[variable]);
      expect(changed.sort()).toEqual(
        [
          'AWS_ENDPOINT_URL',
          'AWS_ENDPOINT_URL_DYNAMODB',
          'JOBS_DLQ_URL',
          'JOBS_PROGRESS_QUEUE_URL',
          'JOBS_QUEUE_URL',
          'JOBS_WEBHOOK_DLQ_URL',
          'JOBS_WEBHOOK_QUEUE_URL',
        ].sort(),
      );
      expect(pointed.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME).toBe(`http://127.0.0.1:${ports.stub}`);
    });
  });

  describe('startAwsBackend with TEST_AWS_BACKEND=localstack', () => {
    const env = { TEST_AWS_BACKEND: 'localstack', TEST_LOCALSTACK_ENDPOINT: LOCALSTACK };

    it('starts no emulator and points the stack’s env at LocalStack', async () => {
      const backend = await startAwsBackend(env);
      expect(backend.kind).toBe('localstack');
      expect(backend.ports).toEqual({ fauxqs: 0, dynalite: 0 });
      const local = localEnvironment({ ports, environment: 'test', prefix: backend.prefix });
      expect(backend.environment(local)).toEqual(pointAwsAtLocalStack(local, LOCALSTACK));
      await backend.stop();
    });

    it('gives each stack its own resource names in the shared LocalStack, valid as S3 bucket names', async () => {
      const backends: TestAwsBackend[] = await Promise.all([startAwsBackend(env), startAwsBackend(env)]);
      const [first, second] = backends.map((backend) => backend.prefix);
      expect(first).not.toBe(second);
      for (const prefix of [first!, second!]) {
        expect(`${prefix}-rate-limits`).toMatch(/^[a-z0-9][a-z0-9-]{2,62}$/);
      }
    });

    it('fails without LocalStack’s URL instead of starting the emulators', async () => {
      await expect(startAwsBackend({ TEST_AWS_BACKEND: 'localstack' })).rejects.toThrow(
        'TEST_LOCALSTACK_ENDPOINT is not set',
      );
    });
  });
});
