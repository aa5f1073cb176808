export * from './tracing/tracing.config.js';
export * from './tracing/start-tracing.js';
export * from './tracing/job-trace.js';
export * from './metrics/registry.js';
export * from './metrics/job-metrics.js';
export * from './metrics/metrics-endpoint.js';
export * from './metrics/metrics.config.js';
export * from './tracing/tracing-shutdown.js';
