import { availableParallelism } from 'node:os';

// Four tiers, one runner: unit (*.spec.ts, no I/O), integration (*.integration-spec.ts, real adapters
// against dynalite + fauxqs + the SageMaker stub), e2e (*.e2e-spec.ts, the whole platform over HTTP) and faults
// (*.fault-spec.ts: no job lost or finalized twice when processes are killed or messages repeated).
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
    '/node_modules/content-disposition/.+\\.js$': '<rootDir>/test/jest/esm-to-cjs.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/deploy', '<rootDir>/bench'],
};

/** @type {import('jest').Config} */
export default {
  // jest's default (one worker per core but one) runs the files one after another on a 2-core machine, while most of
  // an I/O tier's time is spent waiting on emulators and timers: two files at a time at least
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // unit tests run in milliseconds on an idle machine; a CI machine under load has been seen 10× slower
  testTimeout: 15_000,
  reporters: ['default', '<rootDir>/test/jest/openapi-contract-reporter.js'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/app/'],
    },
    {
      // the dashboard's component tests: jsdom, JSX, and the SPA's own tsconfig (DOM, bundler resolution)
      ...base,
      displayName: 'web',
      testEnvironment: '<rootDir>/test/jest/jsdom-environment.cjs',
      roots: ['<rootDir>/apps/web/app'],
      testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/web.setup.ts'],
      extensionsToTreatAsEsm: ['.ts', '.tsx'],
      transform: {
        '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/apps/web/app/tsconfig.spec.json' }],
      },
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['**/*.integration-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/io-tier.setup.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      // every answer the api sends in an e2e test is checked against openapi.json
      setupFilesAfterEnv: ['<rootDir>/test/jest/io-tier.setup.ts', '<rootDir>/test/support/openapi-contract.setup.ts'],
    },
    {
      ...base,
      displayName: 'faults',
      // crashes and restarts with the worker, the stub and the emulators as processes of their own (test/faults)
      testMatch: ['**/*.fault-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/io-tier.setup.ts', '<rootDir>/test/support/openapi-contract.setup.ts'],
    },
  ],
};
