import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSageMakerClient, DependencyUnavailableError, EndpointCapacityClient } from '#libs/aws';
import { type AwsConfig, loadAwsConfig } from '#libs/config';
import { ModelCatalog } from '#libs/models';
import { loadStubConfig } from '../../apps/sagemaker-stub/src/config.js';
import { type RunningStub, startStub } from '../../apps/sagemaker-stub/src/server.js';
import { unreachableUrl } from '../support/closed-port.js';

/** DescribeEndpoint through the real SDK control-plane client, against the stub (which plays scale-to-zero). */
describe('EndpointCapacityClient against the SageMaker stub', () => {
  let stub: RunningStub;
  let aws: AwsConfig;
  const endpointName = ModelCatalog.builtIn().get('stable-diffusion-xl').endpointName;

  beforeAll(async () => {
    const env = {
      STUB_PORT: '0',
      STUB_OUTPUT_S3_URI: 's3://unused/out/',
      STUB_MIN_INSTANCES: '0',
      STUB_INSTANCE_CONCURRENCY: '3',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      LOG_LEVEL: 'silent',
    };
    stub = await startStub({ config: loadStubConfig(env) });
    aws = loadAwsConfig({ ...env, AWS_ENDPOINT_URL_SAGEMAKER: stub.url });
  });

  afterAll(async () => {
    await stub?.close();
  });

  it('reads the instance counts and the concurrency per instance of an endpoint scaled to zero', async () => {
    const client = new EndpointCapacityClient(createSageMakerClient(aws), 1000);
    await expect(client.describe(endpointName)).resolves.toEqual({
      currentInstances: 0,
      desiredInstances: 0,
      concurrencyPerInstance: 3,
    });
    client.close();
  });

  it('asks once per endpoint within its cache time', async () => {
    let now = 0;
    const sdk = createSageMakerClient(aws);
    let calls = 0;
    sdk.middlewareStack.add(
      (next) => async (args) => {
        calls += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const client = new EndpointCapacityClient(sdk, 1000, () => now);
    await Promise.all([client.describe(endpointName), client.describe(endpointName)]);
    now = 999;
    await client.describe(endpointName);
    expect(calls).toBe(1);
    now = 1000;
    await client.describe(endpointName);
    expect(calls).toBe(2);
    client.close();
  });

  it('turns an unreachable control plane into DependencyUnavailableError', async () => {
    const client = new EndpointCapacityClient(
      createSageMakerClient(
        loadAwsConfig({
          AWS_ENDPOINT_URL_SAGEMAKER: await unreachableUrl(),
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'x',
        }),
      ),
      1000,
    );
    await expect(client.describe(endpointName)).rejects.toBeInstanceOf(DependencyUnavailableError);
    client.close();
  });
});
