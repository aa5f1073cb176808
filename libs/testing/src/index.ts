export * from './automock.js';
export * from './job.factory.js';
export * from './wait-for.js';
export * from './sagemaker-notifications.js';
export * from './ssrf-cases.js';
