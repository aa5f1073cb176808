import { describe, expect, it } from '@jest/globals';
import { loadAwsConfig } from './aws.config.js';
import { ConfigValidationError } from './env.js';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from './local-stack.js';
import { loadResourcesConfig } from './resources.config.js';
import { loadAppConfig } from './app.config.js';

describe('config', () => {
  it('uses the SDK defaults in AWS: no endpoint overrides, virtual-hosted S3', () => {
    expect(loadAwsConfig({ AWS_REGION: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      endpoints: {},
      s3ForcePathStyle: false,
      timeouts: { connectionTimeoutMs: 3000, requestTimeoutMs: 10000 },
      invokeRetry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 },
    });
  });

  it('applies AWS_ENDPOINT_URL to every service and AWS_ENDPOINT_URL_<SERVICE> over it', () => {
    const config = loadAwsConfig({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
    });
    expect(config.endpoints).toEqual({
      dynamodb: 'http://127.0.0.1:4567',
      s3: 'http://127.0.0.1:4566',
      sqs: 'http://127.0.0.1:4566',
      sns: 'http://127.0.0.1:4566',
      sagemakerRuntime: 'http://127.0.0.1:4566',
      sagemaker: 'http://127.0.0.1:4566',
      kms: 'http://127.0.0.1:4566',
    });
    expect(config.s3ForcePathStyle).toBe(true);
  });

  it('bounds every AWS call, configurably', () => {
    expect(loadAwsConfig({ AWS_CONNECTION_TIMEOUT_MS: '500', AWS_REQUEST_TIMEOUT_MS: '2500' }).timeouts).toEqual({
      connectionTimeoutMs: 500,
      requestTimeoutMs: 2500,
    });
    expect(() => loadAwsConfig({ AWS_REQUEST_TIMEOUT_MS: '0' })).toThrow(/AWS_REQUEST_TIMEOUT_MS/);
  });

  it('names every bad variable at once', () => {
    const attempt = (): unknown => loadResourcesConfig({ JOBS_TABLE: 'jobs', JOBS_QUEUE_URL: 'not a url' });
    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      const issues = (error as ConfigValidationError).issues.join('\n');
      for (const name of ['JOBS_REQUESTS_BUCKET', 'JOBS_IMAGES_BUCKET', 'JOBS_QUEUE_URL', 'JOBS_SUCCESS_TOPIC_ARN']) {
        expect(issues).toContain(name);
      }
      expect(issues).not.toContain('JOBS_TABLE');
    }
  });

  it('treats empty strings as unset and rejects non-boolean flags', () => {
    expect(loadAppConfig({ APP_ENV: '', LOG_PRETTY: '' })).toMatchObject({ environment: 'aws', logPretty: false });
    expect(() => loadAppConfig({ LOG_PRETTY: 'yes' })).toThrow(/LOG_PRETTY/);
  });

  it('builds a local environment every loader accepts', () => {
    const env = localEnvironment({ ports: DEFAULT_LOCAL_PORTS });
    expect(loadAppConfig(env).environment).toBe('local');
    expect(loadResourcesConfig(env)).toMatchObject({
      jobsTable: 'imggen-local-jobs',
      notificationsQueueUrl: 'http://127.0.0.1:4566/000000000000/imggen-local-notifications',
      successTopicArn: 'arn:aws:sns:us-east-1:000000000000:imggen-local-inference-success',
    });
    expect(loadAwsConfig(env).endpoints.sagemakerRuntime).toBe('http://127.0.0.1:8080');
  });
});
