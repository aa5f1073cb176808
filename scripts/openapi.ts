// npm run openapi:write   regenerates openapi.json from the api (the document GET /docs-json serves) and the
//                         TypeScript client's types generated from it (examples/typescript-client/imggen-api.ts,
//                         which the dashboard in apps/web imports too)
// npm run openapi:check   exits 1 when either differs from what the api serves
// Runs from dist/ (npm run build first): Nest reads the decorators' type metadata, which only tsc emits.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as prettier from 'prettier';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { createApiApp } from '../apps/api/src/app.factory.js';
import { loadApiConfig } from '../apps/api/src/config/api.config.js';
import { OPENAPI_JSON_PATH } from '../apps/api/src/openapi/openapi.document.js';
import { clientTypes } from './openapi-client-types.js';

const DOCUMENT_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));
const CLIENT_TYPES_FILE = fileURLToPath(new URL('../../examples/typescript-client/imggen-api.ts', import.meta.url));

/** The document the api serves. Building the api opens no connection, so no emulator needs to run. */
async function servedDocument(): Promise<unknown> {
  // the metrics server listens on any free port: `make dev` may hold the local one (EADDRINUSE)
  const env = {
    ...localEnvironment({ ports: DEFAULT_LOCAL_PORTS }),
    API_METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    LOG_PRETTY: 'false',
  };
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
  const types = await clientTypes(document, CLIENT_TYPES_FILE);
  if (mode === 'write') {
    const options = (await prettier.resolveConfig(DOCUMENT_FILE)) ?? {};
    await writeFile(DOCUMENT_FILE, await prettier.format(JSON.stringify(document), { ...options, parser: 'json' }));
    await writeFile(CLIENT_TYPES_FILE, types);
    console.log(`wrote ${DOCUMENT_FILE} and ${CLIENT_TYPES_FILE}`);
  } else if (mode === 'check') {
    const committed: unknown = JSON.parse(await readFile(DOCUMENT_FILE, 'utf8'));
    if (!isDeepStrictEqual(committed, document)) {
      console.error('openapi.json differs from the document the api serves: run `npm run openapi:write`.');
      process.exit(1);
    }
    if ((await readFile(CLIENT_TYPES_FILE, 'utf8').catch(() => '')) !== types) {
      console.error(`${CLIENT_TYPES_FILE} differs from what openapi.json generates: run \`npm run openapi:write\`.`);
      process.exit(1);
    }
    console.log('openapi.json and the client types match the api');
  } else {
    console.error('usage: node dist/scripts/openapi.js write|check');
    process.exit(2);
  }
}

await main(process.argv[2]);
