export * from './job.js';
export * from './sagemaker-notification.js';
export * from './text.js';
