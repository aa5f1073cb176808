export * from './env.js';
export * from './app.config.js';
export * from './aws.config.js';
export * from './resources.config.js';
export * from './local-stack.js';
export * from './platform.config.js';
export * from './service-node-flags.js';
