import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type DescribeEndpoint,
  DependencyUnavailableError,
  EndpointCapacityClient,
  SageMakerControlPlane,
  SageMakerControlPlaneError,
} from '#libs/aws';
import { type AwsConfig, loadAwsConfig } from '#libs/config';
import { ModelCatalog } from '#libs/models';
import { loadStubConfig } from '../../apps/sagemaker-stub/src/config.js';
import { type RunningStub, startStub } from '../../apps/sagemaker-stub/src/server.js';
import { unreachableUrl } from '../support/closed-port.js';

/** DescribeEndpoint as a signed request to the control plane, against the stub (which plays scale-to-zero). */
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
    const client = new EndpointCapacityClient(new SageMakerControlPlane(aws), 1000);
    await expect(client.describe(endpointName)).resolves.toEqual({
      currentInstances: 0,
      desiredInstances: 0,
      concurrencyPerInstance: 3,
    });
  });

  it('reports an unknown endpoint as the control plane names it, not as a dependency failure', async () => {
    const failure = await new SageMakerControlPlane(aws).describeEndpoint('no-such-endpoint').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SageMakerControlPlaneError);
    expect(failure).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await expect(
      new EndpointCapacityClient(new SageMakerControlPlane(aws), 1000).describe('no-such-endpoint'),
    ).rejects.not.toBeInstanceOf(DependencyUnavailableError);
  });

  it('asks once per endpoint within its cache time', async () => {
    let now = 0;
    const controlPlane = new SageMakerControlPlane(aws);
    let calls = 0;
    const counted: DescribeEndpoint = {
      describeEndpoint: (name) => {
        calls += 1;
        return controlPlane.describeEndpoint(name);
      },
    };
    const client = new EndpointCapacityClient(counted, 1000, () => now);
    await Promise.all([client.describe(endpointName), client.describe(endpointName)]);
    now = 999;
    await client.describe(endpointName);
    expect(calls).toBe(1);
    now = 1000;
    await client.describe(endpointName);
    expect(calls).toBe(2);
  });

  it('turns an unreachable control plane into DependencyUnavailableError', async () => {
    const client = new EndpointCapacityClient(
      new SageMakerControlPlane(
        loadAwsConfig({
          AWS_ENDPOINT_URL_SAGEMAKER: await unreachableUrl(),
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'x',
        }),
      ),
      1000,
    );
    await expect(client.describe(endpointName)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
