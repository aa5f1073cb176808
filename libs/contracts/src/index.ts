export * from './job.js';
export * from './sagemaker-notification.js';
export * from './job-errors.js';
export * from './text.js';
export * from './billing.js';
export * from './cancellation.js';
export * from './progress-message.js';
export * from './webhook.js';
