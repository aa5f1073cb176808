export * from './image-normalizer.js';
export * from './job-finalizer.js';
