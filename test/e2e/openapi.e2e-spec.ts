import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { JOB_ERROR_CODES } from '#libs/contracts';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { OPENAPI_FILE } from '../support/openapi-contract.js';
import { startApi } from '../support/platform.js';

interface Operation {
  operationId?: string;
  responses: Record<string, Response>;
}
interface Response {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: unknown; example?: { status?: number } }>;
}
interface Document {
  openapi: string;
  servers?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[]; enum?: unknown[] }>;
  };
}

function operations(document: Document): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );
}

function keywordsIn(node: unknown, keyword: string): number {
  if (Array.isArray(node)) {
    return node.reduce((sum: number, child) => sum + keywordsIn(child, keyword), 0);
  }
  if (typeof node !== 'object' || node === null) {
    return 0;
  }
  return Object.entries(node).reduce(
    (sum, [key, child]) => sum + (key === keyword ? 1 : 0) + keywordsIn(child, keyword),
    0,
  );
}

describe('the OpenAPI document', () => {
  let api: NestFastifyApplication;
  let served: Document;
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;

  beforeAll(async () => {
    // building the api opens no connection: no emulator is needed to read its document
    api = await startApi({ ...localEnvironment({ ports: DEFAULT_LOCAL_PORTS }), LOG_LEVEL: 'silent' });
    served = (await request(api.getHttpServer()).get('/docs-json').expect(200)).body as Document;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('is the committed openapi.json (run `npm run openapi:write` after changing the api)', () => {
    expect(served).toEqual(committed);
  });

  it('is OpenAPI 3.1 without 3.0’s `nullable`, which 3.1 validators ignore', () => {
    expect(served.openapi).toBe('3.1.0');
    expect(keywordsIn(served, 'nullable')).toBe(0);
    expect(served.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('names every operation for generated clients', () => {
    expect(Object.fromEntries(operations(served).map(([name, operation]) => [name, operation.operationId]))).toEqual({
      'POST /v1/jobs': 'createJob',
      'GET /v1/jobs': 'listJobs',
      'GET /v1/jobs/{jobId}': 'getJob',
      'POST /v1/jobs/{jobId}/cancel': 'cancelJob',
      'DELETE /v1/jobs/{jobId}': 'deleteJob',
      'GET /v1/jobs/events': 'streamMyJobEvents',
      'GET /v1/jobs/{jobId}/events': 'streamJobEvents',
      'POST /v1/batches': 'createBatch',
      'GET /v1/batches': 'listBatches',
      'GET /v1/batches/{batchId}': 'getBatch',
      'GET /v1/models': 'listModels',
      'POST /v1/jobs/estimate': 'estimateJob',
      'GET /v1/usage': 'getUsage',
      'GET /v1/usage/export': 'exportUsage',
      'POST /v1/keys': 'createApiKey',
      'GET /v1/keys': 'listApiKeys',
      'DELETE /v1/keys/{keyId}': 'revokeApiKey',
      'GET /v1/webhooks/secret': 'getWebhookSecret',
      'POST /v1/webhooks/secret/rotate': 'rotateWebhookSecret',
      'GET /v1/jobs/{jobId}/deliveries': 'listWebhookDeliveries',
      'POST /v1/jobs/{jobId}/deliveries/{deliveryId}/redeliver': 'redeliverWebhook',
      'GET /health/live': 'getLiveness',
      'GET /health/ready': 'getReadiness',
    });
  });

  it('shows both security schemes: a user’s JWT everywhere, API keys where a scope lets them in (403 otherwise)', () => {
    const schemes = (served.components as { securitySchemes?: Record<string, Record<string, unknown>> })
      .securitySchemes!;
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(schemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      description: expect.stringContaining('scope'),
    });
    const security = Object.fromEntries(
      operations(served)
        .filter(([name]) => name.includes(' /v1/'))
        .map(([name, operation]) => [name, (operation as { security?: unknown }).security]),
    );
    const both = [{ bearer: [] }, { apiKey: [] }];
    expect(security).toEqual({
      'POST /v1/jobs': both,
      'GET /v1/jobs': both,
      'GET /v1/jobs/{jobId}': both,
      'POST /v1/jobs/{jobId}/cancel': both,
      'DELETE /v1/jobs/{jobId}': both,
      'GET /v1/jobs/events': both,
      'GET /v1/jobs/{jobId}/events': both,
      'GET /v1/models': both,
      'POST /v1/jobs/estimate': both,
      'GET /v1/usage': both,
      'GET /v1/usage/export': both,
      'POST /v1/batches': both,
      'GET /v1/batches': both,
      'GET /v1/batches/{batchId}': both,
      'POST /v1/keys': [{ bearer: [] }],
      'GET /v1/keys': [{ bearer: [] }],
      'DELETE /v1/keys/{keyId}': [{ bearer: [] }],
      // the signing secret only with a signed-in user's token; the delivery log with jobs:read, redelivery jobs:write
      'GET /v1/webhooks/secret': [{ bearer: [] }],
      'POST /v1/webhooks/secret/rotate': [{ bearer: [] }],
      'GET /v1/jobs/{jobId}/deliveries': both,
      'POST /v1/jobs/{jobId}/deliveries/{deliveryId}/redeliver': both,
    });
    for (const [name, operation] of operations(served)) {
      if (name.includes(' /v1/')) {
        expect([name, Object.keys(operation.responses)]).toEqual([name, expect.arrayContaining(['403'])]);
      }
    }
  });

  it('documents X-Request-Id on every response, Location on 202 and Retry-After on 503', () => {
    for (const [name, operation] of operations(served)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect([name, status, Object.keys(response.headers ?? {})]).toEqual([
          name,
          status,
          expect.arrayContaining([
            'X-Request-Id',
            ...(status === '202' ? ['Location'] : []),
            ...(status === '503' && name.includes('/v1/') ? ['Retry-After'] : []),
          ]),
        ]);
      }
    }
  });

  it('documents 401 and 429 on every operation behind a token: every authenticated request is rate limited', () => {
    for (const [name, operation] of operations(served)) {
      if (name.includes(' /v1/')) {
        expect([name, Object.keys(operation.responses)]).toEqual([name, expect.arrayContaining(['401', '429'])]);
      }
    }
  });

  it('gives each problem response an example of its own status', () => {
    for (const [name, operation] of operations(served)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const problem = response.content?.['application/problem+json'];
        if (problem) {
          expect([name, status, problem.example?.status]).toEqual([name, status, Number(status)]);
        }
      }
    }
  });

  it('types error codes, model limits and the 503 problem as the api sends them', () => {
    const schemas = served.components.schemas;
    expect(schemas.JobErrorCode?.enum).toEqual([...JOB_ERROR_CODES]);
    expect(schemas.ModelLimitsView?.required).toContain('minSteps');
    expect(schemas.ProblemView?.properties).toHaveProperty('jobId');
    expect(schemas.JobView?.properties?.error).toEqual(
      expect.objectContaining({ anyOf: [{ $ref: '#/components/schemas/JobErrorView' }, { type: 'null' }] }),
    );
    expect(schemas.JobView?.properties?.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schemas.JobImageView?.properties?.bytes).toMatchObject({ type: 'integer' });
  });
});
