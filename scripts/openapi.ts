// npm run openapi:write   regenerates openapi.json from the api (the document GET /docs-json serves)
// npm run openapi:check   exits 1 when openapi.json differs from what the api serves
// Runs from dist/ (npm run build first): Nest reads the decorators' type metadata, which only tsc emits.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as prettier from 'prettier';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { createApiApp } from '../apps/api/src/app.factory.js';
import { loadApiConfig } from '../apps/api/src/config/api.config.js';
import { OPENAPI_JSON_PATH } from '../apps/api/src/openapi/openapi.document.js';

const DOCUMENT_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/** The document the api serves. Building the api opens no connection, so no emulator needs to run. */
async function servedDocument(): Promise<unknown> {
  const env = { ...localEnvironment({ ports: DEFAULT_LOCAL_PORTS }), LOG_LEVEL: 'silent', LOG_PRETTY: 'false' };
  const app = await createApiApp(loadApiConfig(env));
  try {
    await app.init();
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: `/${OPENAPI_JSON_PATH}` });
    return response.json();
  } finally {
    await app.close();
  }
}

async function main(mode: string | undefined): Promise<void> {
  const document = await servedDocument();
  if (mode === 'write') {
    const options = (await prettier.resolveConfig(DOCUMENT_FILE)) ?? {};
    await writeFile(DOCUMENT_FILE, await prettier.format(JSON.stringify(document), { ...options, parser: 'json' }));
    console.log(`wrote ${DOCUMENT_FILE}`);
  } else if (mode === 'check') {
    const committed: unknown = JSON.parse(await readFile(DOCUMENT_FILE, 'utf8'));
    if (!isDeepStrictEqual(committed, document)) {
      console.error('openapi.json differs from the document the api serves: run `npm run openapi:write`.');
      process.exit(1);
    }
    console.log('openapi.json matches the api');
  } else {
    console.error('usage: node dist/scripts/openapi.js write|check');
    process.exit(2);
  }
}

await main(process.argv[2]);
