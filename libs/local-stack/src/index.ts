export * from './emulators.js';
export * from './provision.js';
export * from './port-check.js';
export { withListenHostOverride } from './listen-host.js';
