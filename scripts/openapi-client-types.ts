import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import * as prettier from 'prettier';

/**
 * What `npx openapi-typescript openapi.json` generates, formatted like the rest of the repository (Prettier's
 * options for `file`): the types of examples/typescript-client/imggen-api.ts, which the dashboard imports too.
 */
export async function clientTypes(document: unknown, file: string): Promise<string> {
  const generated =
    '// Generated from openapi.json by openapi-typescript (npm run openapi:write). Do not edit.\n\n' +
    astToString(await openapiTS(document as OpenAPI3));
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(generated, { ...options, parser: 'typescript' });
}
