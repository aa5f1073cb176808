export * from './image-normalizer.js';
export * from './job-finalizer.js';
export * from './job-final-listener.js';
export * from './usage-settlement.js';
export * from './cancellation-record.js';
