import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { clientTypes } from '../../scripts/openapi-client-types.js';

const DOCUMENT = fileURLToPath(new URL('../../openapi.json', import.meta.url));
const TYPES = fileURLToPath(new URL('../../examples/typescript-client/imggen-api.ts', import.meta.url));

// The TypeScript client example and the dashboard (apps/web/app/src/api/types.ts) compile against these types; the
// e2e tier checks that openapi.json is what the api serves, this checks the types are what openapi.json generates.
describe('the generated client types', () => {
  it('are what openapi.json generates (run `npm run openapi:write` after changing the api)', async () => {
    const document: unknown = JSON.parse(await readFile(DOCUMENT, 'utf8'));
    expect(await readFile(TYPES, 'utf8')).toBe(await clientTypes(document, TYPES));
  }, 30_000);
});
