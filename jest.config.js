// Three tiers, one runner: unit (*.spec.ts, no I/O), integration (*.integration-spec.ts, real adapters
// against dynalite + fauxqs + the SageMaker stub) and e2e (*.e2e-spec.ts, the whole platform over HTTP).
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
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
};

/** @type {import('jest').Config} */
export default {
  reporters: ['default', '<rootDir>/test/jest/openapi-contract-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['**/*.integration-spec.ts'],
      // each file starts its own emulators and provisions three tables: seconds on a loaded 2-core CI machine
      testTimeout: 30_000,
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      testTimeout: 30_000,
      // every answer the api sends in an e2e test is checked against openapi.json
      setupFilesAfterEnv: ['<rootDir>/test/support/openapi-contract.setup.ts'],
    },
  ],
};
