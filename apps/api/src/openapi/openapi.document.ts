import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SECURITY } from '../auth/scopes.js';
import { withRateLimitHeaders } from '../limits/rate-limit-headers.openapi.js';
import { ProblemView } from '../problem/api-problem-responses.decorator.js';

/** Where the document is served; `openapi.json` at the repository root is a copy of what this path answers. */
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

const REQUEST_ID_COMPONENT = 'RequestId';

/**
 * The api's OpenAPI 3.1 document, built from the controllers' decorators. 3.1 (JSON Schema 2020-12) because it can say
 * "this reference or null" (`anyOf: [{$ref}, {type: 'null'}]`), which OpenAPI 3.0's `nullable` next to a `$ref`
 * cannot: validators ignore it there.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('imggen API')
    .setDescription(
      'Text-to-image jobs rendered by Stable Diffusion on SageMaker asynchronous inference. ' +
        'Every /v1 route needs a Bearer credential: a signed-in user’s access token (Cognito in AWS, ' +
        '`npm run token -- <user>` locally), or, where the route says so, an API key with the scope it names. ' +
        'Errors are RFC 9457 application/problem+json. Every response carries `X-Request-Id`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'The host serving this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A signed-in user’s access token (Cognito in AWS): every scope, and the only way to manage keys.',
    })
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'igk_live_…',
        description:
          'An API key from POST /v1/keys, sent as `Authorization: Bearer igk_live_…`. It acts as its owner with only ' +
          'its scopes (`jobs:read`, `jobs:write`, `usage:read`): a route that needs a scope the key lacks answers 403 ' +
          'naming it; routes that take no key (the /v1/keys routes) answer 403. An expired or revoked key is a 401.',
      },
      API_KEY_SECURITY,
    )
    .build();
  return withRateLimitHeaders(
    withRequestIdHeader(SwaggerModule.createDocument(app, config, { extraModels: [ProblemView] })),
  );
}

/** Every answer carries X-Request-Id (set for each request in app.factory): say so on every documented response. */
function withRequestIdHeader(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    headers: {
      ...document.components?.headers,
      [REQUEST_ID_COMPONENT]: {
        description:
          "The request's id: the caller's `X-Request-Id` when it is sane, else a new ULID. Quote it in reports.",
        required: true,
        schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$', example: '01JD0000000000000000000001' },
      },
    },
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of [pathItem.get, pathItem.put, pathItem.post, pathItem.delete, pathItem.patch]) {
      for (const response of Object.values(operation?.responses ?? {})) {
        if (response && 'description' in response) {
          response.headers = {
            'X-Request-Id': { $ref: `#/components/headers/${REQUEST_ID_COMPONENT}` },
            ...response.headers,
          };
        }
      }
    }
  }
  return document;
}

/** Serves the document as JSON and as Swagger UI. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
