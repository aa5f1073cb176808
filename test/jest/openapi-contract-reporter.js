// Prints how many api answers the e2e suite checked against openapi.json (test/support/openapi-contract.setup.ts
// writes each test file's count into the directory this reporter creates; jest's workers inherit the variable).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const VARIABLE = 'IMGGEN_OPENAPI_COUNTS_DIR';

export default class OpenApiContractReporter {
  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), 'imggen-openapi-counts-'));
    process.env[VARIABLE] = this.directory;
  }

  onRunComplete() {
    const counts = readdirSync(this.directory).flatMap((file) =>
      readFileSync(join(this.directory, file), 'utf8').split('\n').filter(Boolean).map(Number),
    );
    rmSync(this.directory, { recursive: true, force: true });
    if (counts.length > 0) {
      const total = counts.reduce((sum, count) => sum + count, 0);
      process.stdout.write(
        `OpenAPI contract: ${total} api responses validated against openapi.json (${counts.length} test files)\n`,
      );
    }
  }
}
