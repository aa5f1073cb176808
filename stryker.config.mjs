// Mutation testing of the code that decides a job's fate or its money (make test-mutation; docs/testing.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    configFile: 'test/jest/unit.config.js',
    enableFindRelatedTests: true,
    // each module's own spec only (see the file): ~1 s per mutant instead of ~15 s
    config: { testSequencer: '<rootDir>/test/mutation/own-specs-sequencer.mjs' },
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'libs/jobs/src/job-finalizer.ts',
    'apps/worker/src/notifications/notification.handler.ts',
    'apps/worker/src/notifications/notification-consumer.ts',
    'apps/worker/src/notifications/retry-policy.ts',
    'libs/models/src/resolve-params.ts',
    'libs/models/src/codecs/*.codec.ts',
    'libs/models/src/codecs/decode-helpers.ts',
    'apps/api/src/jobs/job-cursor.ts',
    'apps/api/src/idempotency/idempotency.service.ts',
    'apps/api/src/idempotency/idempotency-key.ts',
    'apps/api/src/idempotency/fingerprint.ts',
    'apps/api/src/usage/budget.service.ts',
    'libs/jobs/src/usage-settlement.ts',
    'libs/models/src/pricing.ts',
    'libs/contracts/src/billing.ts',
    'libs/quotas/src/in-flight-reservations.ts',
  ],
  plugins: ['@stryker-mutator/jest-runner', './test/mutation/logging-ignorer.mjs'],
  ignorers: ['logging'],
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  // the survivors and the score table per file, not the list of every test
  clearTextReporter: { reportTests: false, logTests: false },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  concurrency: 2,
  // jest's ESM module registries pile up in a long-lived runner and each run gets slower: start a fresh one now and then
  maxTestRunnerReuse: 40,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
