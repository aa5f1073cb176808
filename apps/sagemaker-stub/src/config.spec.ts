import { ConfigValidationError, DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { loadStubConfig, withTrailingSlash } from './config.js';

describe('loadStubConfig', () => {
  it('reads the local environment with the documented defaults', () => {
    const config = loadStubConfig(localEnvironment({ ports: DEFAULT_LOCAL_PORTS }));
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      outputS3Uri: 's3://imggen-local-outputs/async-out/',
      failureS3Uri: 's3://imggen-local-outputs/async-failures/',
      successTopicArn: 'arn:aws:sns:us-east-1:000000000000:imggen-local-inference-success',
      errorTopicArn: 'arn:aws:sns:us-east-1:000000000000:imggen-local-inference-error',
      simulation: {
        instanceConcurrency: 1,
        minInstances: 0,
        maxInstances: 1,
        baseInferenceMs: 500,
        msPerStepMegapixel: 80,
        coldStartMs: 2000,
        scaleToZeroAfterMs: 60_000,
      },
    });
    expect(config.aws).toMatchObject({ region: 'us-east-1', s3ForcePathStyle: true });
    expect(config.aws.endpoints.s3).toBe('http://127.0.0.1:4566');
    expect(config.aws.endpoints.sns).toBe('http://127.0.0.1:4566');
  });

  it('needs only the output path; topics and failure path are optional', () => {
    const config = loadStubConfig({ STUB_OUTPUT_S3_URI: 's3://bucket/out' });
    expect(config.outputS3Uri).toBe('s3://bucket/out/');
    expect(config).not.toHaveProperty('failureS3Uri');
    expect(config).not.toHaveProperty('successTopicArn');
  });

  it('takes every simulation variable', () => {
    const config = loadStubConfig({
      STUB_OUTPUT_S3_URI: 's3://bucket/out/',
      STUB_INSTANCE_CONCURRENCY: '4',
      STUB_MIN_INSTANCES: '1',
      STUB_MAX_INSTANCES: '3',
      STUB_BASE_INFERENCE_MS: '0',
      STUB_MS_PER_STEP_MEGAPIXEL: '2.5',
      STUB_COLD_START_MS: '0',
      STUB_SCALE_TO_ZERO_AFTER_MS: '10',
      STUB_PORT: '0',
    });
    expect(config.port).toBe(0);
    expect(config.simulation).toEqual({
      instanceConcurrency: 4,
      minInstances: 1,
      maxInstances: 3,
      baseInferenceMs: 0,
      msPerStepMegapixel: 2.5,
      coldStartMs: 0,
      scaleToZeroAfterMs: 10,
      progressIntervalMs: 500,
    });
  });

  it('names every bad variable', () => {
    const load = (): unknown =>
      loadStubConfig({
        STUB_OUTPUT_S3_URI: 'https://bucket/out',
        STUB_PORT: '70000',
        STUB_INSTANCE_CONCURRENCY: '0',
        JOBS_SUCCESS_TOPIC_ARN: 'topic',
      });
    expect(load).toThrow(ConfigValidationError);
    expect(load).toThrow(/STUB_OUTPUT_S3_URI: must be an s3:\/\/bucket\/prefix\/ URI/);
    expect(load).toThrow(/STUB_PORT/);
    expect(load).toThrow(/STUB_INSTANCE_CONCURRENCY/);
    expect(load).toThrow(/JOBS_SUCCESS_TOPIC_ARN: must be an ARN/);
    expect(() => loadStubConfig({})).toThrow(/STUB_OUTPUT_S3_URI/);
  });

  it('refuses more minimum instances than the maximum', () => {
    expect(() =>
      loadStubConfig({ STUB_OUTPUT_S3_URI: 's3://b/o/', STUB_MIN_INSTANCES: '2', STUB_MAX_INSTANCES: '1' }),
    ).toThrow(/STUB_MIN_INSTANCES: must not exceed STUB_MAX_INSTANCES/);
  });
});

describe('withTrailingSlash', () => {
  it('puts objects under the configured path', () => {
    expect(withTrailingSlash('s3://b/out')).toBe('s3://b/out/');
    expect(withTrailingSlash('s3://b/out/')).toBe('s3://b/out/');
  });
});
