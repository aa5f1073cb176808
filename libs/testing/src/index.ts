export * from './automock.js';
export * from './job.factory.js';
export { waitFor } from '#libs/runtime';
export * from './sagemaker-notifications.js';
export * from './ssrf-cases.js';
