import { describe, expect, it } from '@jest/globals';
import { JobParamsFactory } from '#libs/testing';
import { type ObservedResponse, OpenApiContract } from './openapi-contract.js';

// The validator the e2e suite relies on must fail on answers that break the committed document.
const contract = OpenApiContract.fromFile();

const JOB_ID = '01JD0000000000000000000000';
const NOW = '2026-11-26T12:00:00.000Z';

function jobView(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobId: JOB_ID,
    status: 'QUEUED',
    createdAt: NOW,
    updatedAt: NOW,
    params: JobParamsFactory.create(),
    imageUrl: null,
    images: [],
    imageOutcomes: null,
    progress: { phase: 'queued' },
    error: null,
    metadata: {
      modelId: 'stable-diffusion-xl',
      endpointName: 'imggen-sdxl-async',
      inferenceId: JOB_ID,
      seed: 42,
      timings: { submittedAt: NOW },
      cost: null,
      cancellation: null,
    },
    links: { self: `/v1/jobs/${JOB_ID}` },
    ...overrides,
  };
}

const PROBLEM_404 = {
  type: '/problems/not-found',
  title: 'Not found',
  status: 404,
  detail: 'No job',
  instance: `/v1/jobs/${JOB_ID}`,
};

function answer(overrides: Partial<ObservedResponse> & { json?: unknown } = {}): ObservedResponse {
  const { json, ...rest } = overrides;
  return {
    method: 'GET',
    route: '/v1/jobs/:jobId',
    url: `/v1/jobs/${JOB_ID}`,
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': '01JD0000000000000000000001' },
    body: JSON.stringify(json ?? jobView()),
    ...rest,
  };
}

describe('OpenApiContract', () => {
  it('accepts answers the document describes, a null error and a failed job’s error alike', () => {
    expect(contract.check(answer())).toEqual([]);
    const failed = jobView({ status: 'FAILED', error: { code: 'MODEL_ERROR', message: 'boom' } });
    expect(contract.check(answer({ json: failed }))).toEqual([]);
    const costed = jobView({
      metadata: { ...(jobView().metadata as object), cost: { gpuSeconds: 9.4, usd: 0.003677 } },
    });
    expect(contract.check(answer({ json: costed }))).toEqual([]);
  });

  it.each([
    [
      'a wrong type',
      jobView({ params: { ...(jobView().params as object), width: '1024' } }),
      /params\/width must be integer/,
    ],
    [
      'a missing required field',
      (({ updatedAt: _, ...rest }) => rest)(jobView()),
      /must have required property 'updatedAt'/,
    ],
    ['a field the document does not name', jobView({ secret: 1 }), /must NOT have unevaluated properties/],
    [
      'an error code outside the catalogue',
      jobView({ error: { code: 'OOPS', message: 'x' } }),
      /error\/code must be equal to one of the allowed values/,
    ],
    [
      'a timestamp that is not date-time',
      jobView({ createdAt: 'yesterday' }),
      /createdAt must match format "date-time"/,
    ],
  ])('reports %s in the body', (_label, body, message) => {
    const violations = contract.check(answer({ json: body }));
    expect(violations).toHaveLength(1);
    expect(violations![0]).toMatch(message);
  });

  it('reports a status the document does not list for the operation', () => {
    expect(contract.check(answer({ status: 418 }))).toEqual([
      expect.stringMatching(/status 418 is not documented for GET \/v1\/jobs\/\{jobId\}/),
    ]);
  });

  it('reports a content type the document does not list', () => {
    const violations = contract.check(answer({ headers: { 'content-type': 'text/html', 'x-request-id': 'r-1' } }));
    expect(violations).toEqual([expect.stringMatching(/content type text\/html is not documented/)]);
  });

  it('reports a missing required header: X-Request-Id everywhere, Location on 202, Retry-After on 503', () => {
    expect(contract.check(answer({ headers: { 'content-type': 'application/json' } }))).toEqual([
      expect.stringMatching(/required header X-Request-Id is missing/),
    ]);
    const accepted = answer({
      method: 'POST',
      route: '/v1/jobs',
      url: '/v1/jobs',
      status: 202,
      json: {
        jobId: JOB_ID,
        status: 'QUEUED',
        createdAt: NOW,
        submission: 'confirmed',
        links: { self: `/v1/jobs/${JOB_ID}` },
      },
    });
    expect(contract.check(accepted)).toEqual([expect.stringMatching(/required header Location is missing/)]);
    const unavailable = answer({
      method: 'POST',
      route: '/v1/jobs',
      url: '/v1/jobs',
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r-1', 'retry-after': 'soon' },
      json: { ...PROBLEM_404, type: '/problems/dependency-unavailable', status: 503, jobId: JOB_ID },
    });
    expect(contract.check(unavailable)).toEqual([
      expect.stringMatching(/header Retry-After: "soon" \/value must be integer/),
    ]);
  });

  it('judges a HEAD answer by the GET operation’s status and headers, without its body', () => {
    const problem = { 'content-type': 'application/problem+json', 'x-request-id': 'r-1' };
    expect(contract.check(answer({ method: 'HEAD', status: 401, headers: problem, body: '' }))).toEqual([]);
    expect(contract.check(answer({ method: 'HEAD', status: 418, headers: problem, body: '' }))).toEqual([
      expect.stringMatching(/status 418 is not documented for HEAD \/v1\/jobs\/\{jobId\}/),
    ]);
    expect(
      contract.check(answer({ method: 'HEAD', status: 401, headers: { 'content-type': 'application/problem+json' } })),
    ).toEqual([expect.stringMatching(/required header X-Request-Id is missing/)]);
  });

  it('reports a route or a method the document does not describe', () => {
    expect(contract.check(answer({ route: '/v1/jobs/:jobId/nothing-here' }))).toEqual([
      expect.stringMatching(/route \/v1\/jobs\/\{jobId\}\/nothing-here is not in openapi.json/),
    ]);
    expect(contract.check(answer({ method: 'PATCH' }))).toEqual([
      expect.stringMatching(/PATCH \/v1\/jobs\/\{jobId\} is not in openapi.json/),
    ]);
  });

  it('checks the answers no route can document: a 404 for an unknown path, a 405 with Allow', () => {
    const problem = { 'content-type': 'application/problem+json', 'x-request-id': 'r-1' };
    expect(
      contract.check(answer({ route: undefined, url: '/nope', status: 404, headers: problem, json: PROBLEM_404 })),
    ).toEqual([]);
    expect(
      contract.check(answer({ route: undefined, url: '/nope', status: 500, headers: problem, json: PROBLEM_404 })),
    ).toEqual([expect.stringMatching(/no route matched/)]);
    // a URL the router cannot decode
    const badUrl = { ...PROBLEM_404, type: '/problems/validation-error', status: 400, instance: '/v1/jobs/%' };
    expect(
      contract.check(answer({ route: undefined, url: '/v1/jobs/%', status: 400, headers: problem, json: badUrl })),
    ).toEqual([]);
    const notAllowed = { ...PROBLEM_404, type: 'about:blank', title: 'Method Not Allowed', status: 405 };
    expect(
      contract.check(
        answer({ method: 'PATCH', status: 405, headers: { ...problem, allow: 'GET, DELETE' }, json: notAllowed }),
      ),
    ).toEqual([]);
    expect(contract.check(answer({ method: 'PATCH', status: 405, headers: problem, json: notAllowed }))).toEqual([
      expect.stringMatching(/405 without an Allow header/),
    ]);
    expect(
      contract.check(
        answer({ method: 'PATCH', status: 405, headers: { ...problem, allow: 'GET, DELETE' }, json: { status: 405 } }),
      ),
    ).toEqual([expect.stringMatching(/must have required property 'type'/)]);
    // the router matches no route for a wrong method: the URL's documented path decides, trailing slash or not
    const unrouted = { route: undefined, method: 'PUT', status: 405, json: notAllowed };
    expect(
      contract.check(answer({ ...unrouted, url: '/v1/jobs/', headers: { ...problem, allow: 'GET, POST' } })),
    ).toEqual([]);
    expect(contract.check(answer({ ...unrouted, url: '/v1/jobs', headers: { ...problem, allow: 'GET' } }))).toEqual([
      expect.stringMatching(/405 without an Allow header naming the documented methods \(GET, POST\)/),
    ]);
    expect(contract.check(answer({ ...unrouted, url: '/v1/nope', headers: { ...problem, allow: 'GET' } }))).toEqual([
      expect.stringMatching(/no route matched/),
    ]);
  });

  it('leaves out only the document itself, Swagger UI and CORS preflights', () => {
    expect(contract.check(answer({ route: '/docs-json', url: '/docs-json' }))).toBeUndefined();
    expect(contract.check(answer({ route: '/docs-yaml', url: '/docs-yaml' }))).toBeUndefined();
    expect(contract.check(answer({ route: '/docs/*', url: '/docs/swagger-ui.css' }))).toBeUndefined();
    const preflight = answer({
      method: 'OPTIONS',
      route: undefined,
      url: '/v1/jobs',
      status: 204,
      requestHeaders: { 'access-control-request-method': 'POST' },
    });
    expect(contract.check(preflight)).toBeUndefined();
    expect(contract.check({ ...preflight, requestHeaders: {} })).toEqual([
      expect.stringMatching(/OPTIONS \/v1\/jobs is not in openapi.json/),
    ]);
  });

  describe('bodies that are not one JSON document', () => {
    const exportRow = {
      jobId: JOB_ID,
      ownerId: 'alice',
      apiKeyId: null,
      modelId: 'stable-diffusion-xl',
      status: 'SUCCEEDED',
      gpuSeconds: 9.402,
      usd: 0.003678,
      createdAt: NOW,
      finalizedAt: NOW,
      queueMs: 1,
      inferenceMs: 9402,
      totalMs: 9500,
    };
    const end = { complete: true, month: '2026-11', rows: 1, gpuSeconds: 9.402, usd: 0.003678 };
    const exported = (contentType: string, body: string): ObservedResponse => ({
      method: 'GET',
      route: '/v1/usage/export',
      url: '/v1/usage/export',
      status: 200,
      headers: { 'content-type': `${contentType}; charset=utf-8`, 'x-request-id': '01JD0000000000000000000001' },
      body,
    });
    const ndjson = (...lines: unknown[]) =>
      exported('application/x-ndjson', lines.map((line) => `${JSON.stringify(line)}\n`).join(''));

    it('checks NDJSON line by line against the schema of one line', () => {
      expect(contract.check(ndjson(exportRow, exportRow, end))).toEqual([]);
      expect(contract.check(ndjson(end))).toEqual([]);
      expect(contract.check(ndjson(exportRow, { ...exportRow, usd: '0.1' }, { ...end, extra: 1 }))).toEqual([
        expect.stringMatching(/line 2 .*usd must be number,null/),
        expect.stringMatching(/line 3 .*unevaluated properties: extra/),
      ]);
    });

    it('reports an NDJSON line that is not JSON, or a body without its last newline', () => {
      expect(contract.check(exported('application/x-ndjson', `${JSON.stringify(end)}\n{"cut`))).toEqual([
        expect.stringMatching(/does not end with a newline/),
      ]);
      expect(contract.check(exported('application/x-ndjson', `${JSON.stringify(end)}\n{"cut\n`))).toEqual([
        expect.stringMatching(/line 2 is not JSON/),
      ]);
    });

    it('takes CSV as the string its schema describes, and still checks its content type', () => {
      expect(contract.check(exported('text/csv', 'jobId,ownerId\r\na,b\r\n'))).toEqual([]);
      expect(contract.check(exported('text/plain', 'jobId\r\n'))).toEqual([
        expect.stringMatching(/content type text\/plain is not documented/),
      ]);
    });
  });
});
