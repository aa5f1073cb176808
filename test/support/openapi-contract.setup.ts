// setupFilesAfterEnv of the e2e project: a test fails when an answer it received breaks openapi.json (see
// openapi-contract.ts); the number of answers checked goes to the reporter, which prints the run's total.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach } from '@jest/globals';
import { contractRecorder } from './openapi-contract.js';

const CONTRACT_COUNTS_DIR_VARIABLE = 'IMGGEN_OPENAPI_COUNTS_DIR';

function failOnViolations(): void {
  const violations = contractRecorder.takeViolations();
  if (violations.length > 0) {
    throw new Error(
      `${violations.length} answer(s) break openapi.json (fix the api, or its decorators and \`npm run openapi:write\`):\n` +
        violations.map((violation) => `  - ${violation}`).join('\n'),
    );
  }
}

afterEach(failOnViolations);

afterAll(() => {
  const directory = process.env[CONTRACT_COUNTS_DIR_VARIABLE];
  if (directory) {
    appendFileSync(join(directory, `${process.pid}.counts`), `${contractRecorder.validated}\n`);
  }
  contractRecorder.validated = 0;
  failOnViolations();
});
