import { jest } from '@jest/globals';

// Integration and e2e files start their own emulators and provision three tables in their hooks: seconds on a
// loaded 2-core CI machine, beyond jest's default 5 s. (A project's `testTimeout` option is not honoured per project.)
jest.setTimeout(30_000);
