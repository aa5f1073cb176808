import { jest } from '@jest/globals';

// Integration and e2e files start their own emulators and provision three tables in their hooks, and each file's
// first test pays for compiling and loading the apps: tens of seconds on a loaded 2-core CI machine with a cold
// transform cache, far beyond jest's default 5 s. (A project's `testTimeout` option is not honoured per project.)
jest.setTimeout(60_000);
