import type { FastifyInstance } from 'fastify';
import { SageMakerApiError } from './api-error.js';
import { header } from './headers.js';
import type { StubContext } from './stub-context.js';

const JSON_11 = 'application/x-amz-json-1.1';

function controlPlaneError(errorType: string, message: string, statusCode = 400): SageMakerApiError {
  return new SageMakerApiError(statusCode, errorType, message, { __type: errorType, message }, JSON_11);
}

function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** DescribeEndpoint's answer, with the instance counts of the simulated scale-to-zero state. */
export function describeEndpoint(context: StubContext, name: string): Record<string, unknown> {
  const endpoint = context.endpoints.get(name);
  if (!endpoint) {
    // SageMaker's control plane words it this way (ValidationException, not the runtime's ValidationError).
    throw controlPlaneError(
      'ValidationException',
      `Could not find endpoint "arn:aws:sagemaker:${context.region}:${context.accountId}:endpoint/${name.toLowerCase()}".`,
    );
  }
  const capacity = endpoint.queue.snapshot();
  const { asyncConfig } = context;
  return {
    EndpointName: endpoint.name,
    EndpointArn: `arn:aws:sagemaker:${context.region}:${context.accountId}:endpoint/${endpoint.name.toLowerCase()}`,
    EndpointConfigName: `${endpoint.name}-config`,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        CurrentWeight: 1,
        DesiredWeight: 1,
        CurrentInstanceCount: capacity.currentInstances,
        DesiredInstanceCount: capacity.desiredInstances,
      },
    ],
    EndpointStatus: 'InService',
    CreationTime: epochSeconds(endpoint.createdAt),
    LastModifiedTime: epochSeconds(capacity.lastScaledAt),
    ...(endpoint.mode === 'async'
      ? {
          AsyncInferenceConfig: {
            ClientConfig: { MaxConcurrentInvocationsPerInstance: asyncConfig.maxConcurrentInvocationsPerInstance },
            OutputConfig: {
              S3OutputPath: asyncConfig.outputUri,
              ...(asyncConfig.failureUri ? { S3FailurePath: asyncConfig.failureUri } : {}),
              ...(asyncConfig.successTopicArn || asyncConfig.errorTopicArn
                ? {
                    NotificationConfig: {
                      ...(asyncConfig.successTopicArn ? { SuccessTopic: asyncConfig.successTopicArn } : {}),
                      ...(asyncConfig.errorTopicArn ? { ErrorTopic: asyncConfig.errorTopicArn } : {}),
                    },
                  }
                : {}),
            },
          },
        }
      : {}),
  };
}

/**
 * The SageMaker control plane's JSON 1.1 protocol (`POST /`, `X-Amz-Target: SageMaker.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`), for the one operation the platform uses: DescribeEndpoint.
 */
export function registerControlPlaneRoutes(app: FastifyInstance, context: StubContext): void {
  app.post('/', async (request, reply) => {
    const target = header(request.headers, 'x-amz-target');
    if (target !== 'SageMaker.DescribeEndpoint') {
      throw controlPlaneError(
        'UnknownOperationException',
        target ? `The stub does not implement ${target}.` : 'Missing X-Amz-Target header.',
      );
    }
    let input: unknown;
    try {
      const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      input = text ? JSON.parse(text) : {};
    } catch {
      throw controlPlaneError('SerializationException', 'The request body is not valid JSON.');
    }
    const name =
      input !== null && typeof input === 'object' && 'EndpointName' in input && typeof input.EndpointName === 'string'
        ? input.EndpointName
        : undefined;
    if (!name) {
      throw controlPlaneError(
        'ValidationException',
        "1 validation error detected: Value null at 'endpointName' failed to satisfy constraint: Member must not be null",
      );
    }
    return reply
      .code(200)
      .header('content-type', JSON_11)
      .send(Buffer.from(JSON.stringify(describeEndpoint(context, name))));
  });
}
