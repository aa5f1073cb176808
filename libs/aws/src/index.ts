export * from './clients/aws-clients.js';
export * from './errors/dependency.error.js';
export * from './dynamodb/job.repository.js';
export * from './s3/s3-uri.js';
export * from './s3/object-store.js';
export * from './sqs/message-queue.js';
export * from './sagemaker/inference.client.js';
export * from './nest/aws-adapters.module.js';
