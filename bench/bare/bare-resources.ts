import {
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  createS3Client,
  createSageMakerRuntimeClient,
  createSqsClient,
} from '#libs/aws';
import { type Env, loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { BUILT_IN_MODELS } from '#libs/models';
import type { BareClients, BareResources } from './bare-calls.js';

/** The platform's own tables, buckets and default model endpoint, read from the same variables. */
export function bareResources(env: Env): BareResources {
  const resources = loadResourcesConfig(env);
  const model = BUILT_IN_MODELS.find((candidate) => candidate.default);
  if (!model) {
    throw new Error('no default model in the built-in catalog');
  }
  return { ...resources, endpointName: model.endpointName };
}

/** The same SDK clients, with the same settings, as the platform's processes. */
export function bareClients(env: Env): BareClients {
  const aws = loadAwsConfig(env);
  return {
    dynamodb: createDynamoDbClient(aws),
    documents: createDynamoDbDocumentClient(aws),
    s3: createS3Client(aws),
    sageMaker: createSageMakerRuntimeClient(aws),
    sqs: createSqsClient(aws),
  };
}
