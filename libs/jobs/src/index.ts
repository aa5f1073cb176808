export * from './image-normalizer.js';
export * from './job-finalizer.js';
export * from './job-final-listener.js';
export * from './usage-settlement.js';
export * from './cancellation-record.js';
export * from './model-failure-reason.js';
export * from './job-finalizer.provider.js';
export * from './settled-marker.js';
