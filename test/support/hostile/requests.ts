import fc from 'fast-check';
import { JOB_STATUSES } from '#libs/contracts';
import { MAX_PAGE_SIZE } from '../../../apps/api/src/jobs/dto/list-jobs.query.js';
import { type BadTokenRecipe, authorizationScheme, badTokenRecipe } from './bad-tokens.js';
import {
  brokenJsonBody,
  faultyBatchBody,
  faultyJobBody,
  notAnObjectBody,
  oversizedJobBody,
  VALID_JOB,
} from './bodies.js';
import { toJsonText } from './json-text.js';
import { brokenEncoding, headerText, hostileString, percentEncode } from './strings.js';

/** Who the request claims to be. */
export type Credentials =
  | { kind: 'user' }
  | { kind: 'admin' }
  | { kind: 'bad token'; recipe: BadTokenRecipe; authorization: (token: string) => string };

/** One request the api must refuse: 4xx problem+json, nothing written. */
export interface HostileRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query as sent on the wire (percent-encoded, sometimes wrongly on purpose). */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: Buffer;
  credentials: Credentials;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * Node refuses request heads over 16 KB (431) before the api sees them: URLs stay well under that, so each request
 * tests the api rather than Node's limit.
 */
const MAX_PATH_LENGTH = 8000;
const fitsNode = (request: HostileRequest) => request.path.length <= MAX_PATH_LENGTH;
const validJobBytes = () => Buffer.from(toJsonText(VALID_JOB), 'utf8');

/** A media type the api does not parse as JSON (application/json with any parameters is JSON). */
const notJsonMediaType: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      ...[
        'text/plain',
        'text/html',
        'text/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ],
      ...['application/xml', 'application/octet-stream', 'application/jsonx', 'application/json-seq', 'json'],
      ...['application/problem+json', 'application/ld+json', 'image/png', '*/*', 'application/*', ';', ''],
      ...['application/javascript', 'text/plain; charset=utf-8', 'application /json', 'application\\json'],
    ),
    headerText(40),
  )
  .filter((type) => !/^\s*application\/json\s*(;|$)/i.test(type));

/**
 * An Idempotency-Key value the api must refuse: not 1-255 visible ASCII characters (bare or as a quoted sf-string),
 * or a structured value that is not a plain string (parameters, inner lists, tokens with a broken quote).
 */
const badIdempotencyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '""',
    '"a b"',
    'a b',
    '"unterminated',
    '"abc";expires=1',
    '(a b)',
    'é',
    '"\\é"',
    'k'.repeat(256),
    `"${'k'.repeat(256)}"`,
  ),
  // a visible-ASCII key with one character outside 0x21-0x7E somewhere inside
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_'), minLength: 1, maxLength: 40 }),
      // what Node lets onto the wire outside 0x21-0x7E: tab, space and Latin-1
      fc.oneof(fc.constantFrom(0x09, 0x20), fc.integer({ min: 0x80, max: 0xff })),
      fc.string({ unit: fc.constantFrom('a', 'Z', '0'), minLength: 1, maxLength: 40 }),
    )
    .map(([head, code, tail]) => `${head}${String.fromCharCode(code)}${tail}`),
);

/*
 * ▶ HEADER ARBITRARIES — extend here.
 *
 * REFUSING_HEADERS: each entry is a header whose generated values make an otherwise valid POST /v1/jobs bad on
 * their own. The test sends a valid job with one of them and expects a 4xx problem+json and nothing written. Add a
 * header's bad values here (for example `'idempotency-key': badIdempotencyKey`) and they are thrown at the api.
 *
 * NOISE_HEADERS: headers whose junk values must change nothing (never a 5xx, never an answer other than the one the
 * request earns without them). Every generated request may carry some.
 *
 * Left out on purpose: framing and hop-by-hop headers (Content-Length, Transfer-Encoding, Host, Connection, Expect,
 * Upgrade), which Node's HTTP parser answers before the api sees the request, in its own words. Values are Latin-1:
 * Node will not put anything else on the wire.
 */
/** A value, or undefined to leave the header out (where its absence is what is wrong). */
export const REFUSING_HEADERS: Record<string, fc.Arbitrary<string | undefined>> = {
  // a media type that is not JSON, or none at all, on a JSON body
  'content-type': fc.oneof(
    { weight: 9, arbitrary: notJsonMediaType },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
  'idempotency-key': badIdempotencyKey,
};

export const NOISE_HEADERS: Record<string, fc.Arbitrary<string>> = {
  'x-request-id': fc.oneof(headerText(200), fc.constant('x'.repeat(129)), fc.constant('../../etc/passwd')),
  accept: fc.oneof(headerText(), fc.constantFrom('application/xml', 'text/html;q=0', '*/*;q=0', 'image/*')),
  'accept-language': headerText(),
  'accept-encoding': fc.oneof(headerText(), fc.constantFrom('gzip;q=2', 'br, zstd, *;q=0', 'identity;q=0')),
  'x-forwarded-for': fc.oneof(headerText(), fc.constantFrom('::1, 10.0.0.1', '999.999.999.999', 'unknown')),
  forwarded: headerText(),
  origin: fc.oneof(headerText(), fc.constantFrom('null', 'http://evil.example', 'http://localhost:5173/x')),
  'user-agent': headerText(500),
  cookie: headerText(),
  prefer: fc.oneof(headerText(), fc.constantFrom('respond-async, wait=-1', 'return=minimal', 'wait=99999999999')),
  'if-none-match': headerText(),
  range: fc.oneof(headerText(), fc.constant('bytes=0-0,-1')),
};

const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc
  .subarray(Object.keys(NOISE_HEADERS), { maxLength: 3 })
  .chain((names) => fc.record(Object.fromEntries(names.map((name) => [name, NOISE_HEADERS[name]!]))));

const withNoise = (request: fc.Arbitrary<HostileRequest>): fc.Arbitrary<HostileRequest> =>
  fc.tuple(request, noiseHeaders).map(([hostile, noise]) => ({
    ...hostile,
    headers: { ...noise, ...hostile.headers },
  }));

const user: fc.Arbitrary<Credentials> = fc.constantFrom<Credentials>({ kind: 'user' }, { kind: 'admin' });

/** POST /v1/jobs with JSON bodies that break a rule: a field's type or range, unknown or prototype keys, not an object. */
export const badJobBodies: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(fc.oneof({ weight: 5, arbitrary: faultyJobBody }, { weight: 1, arbitrary: notAnObjectBody }), user)
    .map(([body, credentials]) => ({
      method: 'POST' as const,
      path: '/v1/jobs',
      headers: JSON_TYPE,
      body: Buffer.from(toJsonText(body), 'utf8'),
      credentials,
    })),
);

/** POST /v1/batches with JSON bodies that break a rule of the batch or of one of its jobs or prompts. */
export const badBatchBodies: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(fc.oneof({ weight: 5, arbitrary: faultyBatchBody }, { weight: 1, arbitrary: notAnObjectBody }), user)
    .map(([body, credentials]) => ({
      method: 'POST' as const,
      path: '/v1/batches',
      headers: JSON_TYPE,
      body: Buffer.from(toJsonText(body), 'utf8'),
      credentials,
    })),
);

/** GET /v1/batches/{batchId} for ids of no batch, and GET /v1/batches with bad parameters. */
export const badBatchReads: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(
      fc.oneof(
        fc
          .oneof(
            hostileString.filter((id) => id.length > 0).map(percentEncode),
            fc.ulid(),
            fc.constantFrom('..', '%2F', '%00', 'x'.repeat(3000)),
          )
          .map((id) => `/v1/batches/${id}`),
        fc
          .oneof(
            fc.constantFrom('limit=0', 'limit=101', 'limit=x', 'cursor=v1.AAAA.AAAA', `cursor=${'x'.repeat(3000)}`),
            hostileString.map((value) => `cursor=${percentEncode(value)}`),
          )
          .map((query) => `/v1/batches?${query}`),
      ),
      user,
    )
    .map(([path, credentials]) => ({ method: 'GET' as const, path, headers: {}, credentials }))
    .filter(fitsNode),
);

/** POST /v1/jobs with bytes that are not a JSON job: broken or cut-short JSON, invalid UTF-8, over the body limit. */
export function badJobBytes(bodyLimitBytes: number): fc.Arbitrary<HostileRequest> {
  return withNoise(
    fc.tuple(fc.oneof(brokenJsonBody, oversizedJobBody(bodyLimitBytes)), user).map(([body, credentials]) => ({
      method: 'POST' as const,
      path: '/v1/jobs',
      headers: JSON_TYPE,
      body,
      credentials,
    })),
  );
}

/** A valid job, spoiled by one header from REFUSING_HEADERS. */
export const validJobWithARefusingHeader: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .constantFrom(...Object.keys(REFUSING_HEADERS))
    .chain((name) => fc.tuple(fc.constant(name), REFUSING_HEADERS[name]!, user))
    .map(([name, value, credentials]) => {
      const headers: Record<string, string> = { ...JSON_TYPE };
      if (value === undefined) {
        delete headers[name];
      } else {
        headers[name] = value;
      }
      return { method: 'POST' as const, path: '/v1/jobs', headers, body: validJobBytes(), credentials };
    }),
);

const isValidLimit = (value: string) => {
  const limit = Number(value);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE;
};

/** A query parameter of GET /v1/jobs with a value the api must refuse (as an ordinary user: `owner` is 403). */
const badListParameter: fc.Arbitrary<[string, string]> = fc.oneof(
  fc
    .oneof(hostileString, fc.constantFrom('0', '-1', '101', '1.5', '', 'NaN', '1e3', '0x0', 'Infinity', '1,2'))
    .filter((value) => !isValidLimit(value))
    .map((value): [string, string] => ['limit', value]),
  fc
    .oneof(hostileString, fc.constantFrom('queued', 'Succeeded', 'QUEUED ', 'ALL', '*', 'QUEUED,FAILED'))
    .filter((value) => !(JOB_STATUSES as readonly string[]).includes(value))
    .map((value): [string, string] => ['status', value]),
  // no cursor can be guessed: each is signed; 'v1.x.y' has the right shape and a wrong signature
  fc
    .oneof(hostileString, fc.constantFrom('v1..', 'v1.AAAA.AAAA', 'v2.a.b', 'x'.repeat(3000)))
    .map((value): [string, string] => ['cursor', value]),
  fc.oneof(hostileString, fc.uuid()).map((value): [string, string] => ['owner', value]),
);

const anyListParameter: fc.Arbitrary<[string, string]> = fc.tuple(
  fc.oneof(
    fc.constantFrom('limit', 'status', 'cursor', 'owner', '_', 'a[]', '__proto__', 'constructor'),
    hostileString,
  ),
  hostileString,
);

/**
 * GET /v1/jobs with a query that holds at least one bad parameter: parameters of any validity, then one to three bad
 * ones (a repeated parameter arrives as a list, which is bad too), some with broken percent-encoding appended.
 */
export const badListQueries: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(
      fc.array(anyListParameter, { maxLength: 3 }),
      fc.array(fc.tuple(badListParameter, fc.option(brokenEncoding, { nil: undefined })), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.constantFrom<Credentials>({ kind: 'user' }),
    )
    .map(([noise, bad, credentials]) => {
      const pairs = [
        ...noise.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`),
        ...bad.map(([[key, value], broken]) => `${key}=${percentEncode(value)}${broken ?? ''}`),
      ];
      return { method: 'GET' as const, path: `/v1/jobs?${pairs.join('&')}`, headers: {}, credentials };
    })
    .filter(fitsNode),
);

const isMonth = (value: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/**
 * A query parameter of GET /v1/usage/export the api must refuse: a month that is not YYYY-MM, a format other than
 * `csv` or `json`, or `owner` (as an ordinary user: 403, or 400 when it is not a user id).
 */
const badExportParameter: fc.Arbitrary<[string, string]> = fc.oneof(
  fc
    .oneof(
      hostileString,
      fc.constantFrom(
        '2026-13',
        '2026-00',
        '2026-1',
        '26-11',
        '2026/11',
        '2026-11-01',
        ' 2026-11',
        '２０２６-１１',
        '',
      ),
    )
    .filter((value) => !isMonth(value))
    .map((value): [string, string] => ['month', value]),
  fc
    .oneof(hostileString, fc.constantFrom('CSV', 'Json', 'xml', 'ndjson', 'csv,json', 'csv ', 'text/csv', ''))
    .filter((value) => value !== 'csv' && value !== 'json')
    .map((value): [string, string] => ['format', value]),
  fc.oneof(hostileString, fc.uuid()).map((value): [string, string] => ['owner', value]),
);

const anyExportParameter: fc.Arbitrary<[string, string]> = fc.tuple(
  fc.oneof(fc.constantFrom('month', 'format', 'owner', '_', 'a[]', '__proto__', 'constructor'), hostileString),
  hostileString,
);

/** GET /v1/usage/export with at least one bad parameter among any others, some with broken percent-encoding. */
export const badExportQueries: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(
      fc.array(anyExportParameter, { maxLength: 3 }),
      fc.array(fc.tuple(badExportParameter, fc.option(brokenEncoding, { nil: undefined })), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([noise, bad]) => {
      const pairs = [
        ...noise.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`),
        ...bad.map(([[key, value], broken]) => `${key}=${percentEncode(value)}${broken ?? ''}`),
      ];
      return {
        method: 'GET' as const,
        path: `/v1/usage/export?${pairs.join('&')}`,
        headers: {},
        credentials: { kind: 'user' as const },
      };
    })
    .filter(fitsNode),
);

/** GET /v1/jobs/{jobId} for ids no job has: any text, well-formed ids of no job, near-ULIDs, path tricks. */
export const badJobIds: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(
      fc.oneof(
        hostileString.filter((id) => id.length > 0).map(percentEncode),
        fc.ulid(),
        fc.ulid().map((id) => id.toLowerCase()),
        fc.ulid().map((id) => `${id}0`),
        fc.constantFrom(
          '..',
          '%2e%2e',
          '..%2F..%2Fhealth',
          '%2F',
          'a%2Fb',
          '%00',
          ';',
          '%3B',
          '%20',
          '*',
          'x'.repeat(101),
        ),
        fc.tuple(hostileString, brokenEncoding).map(([id, broken]) => `${percentEncode(id)}${broken}`),
      ),
      user,
      fc.constantFrom('read', 'cancel', 'cancel with a body', 'delete', 'events', 'events resumed'),
      hostileString,
    )
    .map(([id, credentials, action, text]): HostileRequest => {
      switch (action) {
        case 'read':
          return { method: 'GET', path: `/v1/jobs/${id}`, headers: {}, credentials };
        case 'events':
          return { method: 'GET', path: `/v1/jobs/${id}/events`, headers: {}, credentials };
        case 'events resumed':
          // a Last-Event-ID that is no version, or a version of no job: refused either way
          return {
            method: 'GET',
            path: `/v1/jobs/${id}/events`,
            headers: { 'last-event-id': /^[\x20-\x7e]*$/.test(text) ? text : '7' },
            credentials,
          };
        case 'cancel':
          return { method: 'POST', path: `/v1/jobs/${id}/cancel`, headers: {}, credentials };
        case 'cancel with a body':
          // the route takes no body: whatever is sent, JSON or not, the id decides
          return {
            method: 'POST',
            path: `/v1/jobs/${id}/cancel`,
            headers: JSON_TYPE,
            body: Buffer.from(JSON.stringify({ reason: text })),
            credentials,
          };
        case 'delete':
          return { method: 'DELETE', path: `/v1/jobs/${id}`, headers: {}, credentials };
      }
    })
    .filter(fitsNode),
);

/** Every /v1 route with a bad token: the request is otherwise one the api would serve (a valid job for POST). */
export const badTokens: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(
      fc.constantFrom(
        { method: 'GET' as const, path: '/v1/jobs' },
        { method: 'GET' as const, path: '/v1/jobs?limit=5&status=QUEUED' },
        { method: 'GET' as const, path: '/v1/jobs/01JD0000000000000000000000' },
        { method: 'GET' as const, path: '/v1/jobs/01JD0000000000000000000000/events' },
        { method: 'GET' as const, path: '/v1/jobs/events' },
        { method: 'POST' as const, path: '/v1/jobs/01JD0000000000000000000000/cancel' },
        { method: 'DELETE' as const, path: '/v1/jobs/01JD0000000000000000000000' },
        { method: 'GET' as const, path: '/v1/models' },
        { method: 'GET' as const, path: '/v1/usage/export?format=csv' },
        { method: 'POST' as const, path: '/v1/jobs' },
        { method: 'GET' as const, path: '/v1/batches' },
        { method: 'GET' as const, path: '/v1/batches/01JD0000000000000000000000' },
        { method: 'POST' as const, path: '/v1/batches' },
        { method: 'GET' as const, path: '/v1/keys' },
        { method: 'GET' as const, path: '/v1/usage' },
        { method: 'GET' as const, path: '/v1/webhooks/secret' },
        { method: 'POST' as const, path: '/v1/webhooks/secret/rotate' },
        { method: 'GET' as const, path: '/v1/jobs/01JD0000000000000000000000/deliveries' },
        { method: 'POST' as const, path: '/v1/jobs/01JD0000000000000000000000/deliveries/x/redeliver' },
      ),
      badTokenRecipe,
      authorizationScheme,
    )
    .map(([route, recipe, authorization]) => ({
      ...route,
      headers: route.method === 'POST' && !route.path.endsWith('/cancel') ? JSON_TYPE : {},
      ...(route.method === 'POST' && !route.path.endsWith('/cancel')
        ? { body: route.path === '/v1/batches' ? Buffer.from('{"prompts":["a red fox"]}') : validJobBytes() }
        : {}),
      credentials: { kind: 'bad token' as const, recipe, authorization },
    })),
);

const VALID_KEY_BODY = { name: 'ok', scopes: ['jobs:read'] };

/** One member of a POST /v1/keys body that breaks a rule, whatever the others hold. */
const faultyKeyMember: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(
    fc.constant('name'),
    fc.oneof(
      fc.constantFrom('', '   ', '\t', 'two\nlines', 'bell\u0007', 'x'.repeat(101), null, 42, true, [], {}),
      // whatever else it holds, a line break makes it invalid
      hostileString.map((text) => `${text}\n`),
    ),
  ),
  fc.tuple(
    fc.constant('scopes'),
    fc.oneof(
      fc.constantFrom(
        [],
        'jobs:read',
        null,
        1,
        {},
        ['jobs:read', 'jobs:read'],
        ['admin'],
        ['JOBS:READ'],
        [['jobs:read']],
      ),
      fc.array(
        hostileString.filter((text) => !['jobs:read', 'jobs:write', 'usage:read'].includes(text)),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    ),
  ),
  fc.tuple(
    fc.constant('expiresAt'),
    fc.oneof(
      fc.constantFrom('2020-01-01T00:00:00Z', '2099-01-01T00:00:00Z', '2027-01-01', 'tomorrow', '', 0, null, true),
      fc.integer(),
      hostileString,
    ),
  ),
  fc.tuple(
    fc.constant('monthlyBudgetUsd'),
    fc.oneof(fc.constantFrom(0, -1, 1e7, '5', null, true), fc.double({ max: 0, noNaN: true })),
  ),
  fc.tuple(
    fc.constant('requestsPerMinute'),
    fc.oneof(fc.constantFrom(0, -1, 1.5, 100_001, '60', null), fc.integer({ max: 0 })),
  ),
  fc.tuple(fc.constantFrom('ownerId', 'hash', 'key', 'keyId', 'admin'), fc.oneof(hostileString, fc.boolean())),
);

/** POST /v1/keys with bodies that break a rule (as a user with a token: keys cannot reach it). */
export const badKeyBodies: fc.Arbitrary<HostileRequest> = withNoise(
  fc.tuple(fc.array(faultyKeyMember, { minLength: 1, maxLength: 3 }), user).map(([faults, credentials]) => ({
    method: 'POST' as const,
    path: '/v1/keys',
    headers: JSON_TYPE,
    body: Buffer.from(JSON.stringify({ ...VALID_KEY_BODY, ...Object.fromEntries(faults) }), 'utf8'),
    credentials,
  })),
);

/** DELETE /v1/keys/{keyId} for ids of no key of the caller's, and GET /v1/keys with bad parameters. */
export const badKeyRequests: fc.Arbitrary<HostileRequest> = withNoise(
  fc.oneof(
    fc
      .tuple(fc.oneof(hostileString.map(percentEncode), fc.constantFrom('01JD0000000000000000000000', 'x')), user)
      .map(([id, credentials]) => ({
        method: 'DELETE' as const,
        path: `/v1/keys/${id || 'x'}`,
        headers: {},
        credentials,
      })),
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom('limit=0', 'limit=101', 'limit=x', 'limit=1&limit=2', 'cursor=', 'cursor=v1.x.y'),
          hostileString.map((text) => `cursor=${percentEncode(text) || 'x'}`),
        ),
        user,
      )
      .map(([query, credentials]) => ({ method: 'GET' as const, path: `/v1/keys?${query}`, headers: {}, credentials })),
  ),
);

/**
 * The webhook delivery log and redelivery for ids of no job of the caller's (or garbage ids, or a delivery id of no
 * event), and the log with bad paging parameters.
 */
export const badDeliveryRequests: fc.Arbitrary<HostileRequest> = withNoise(
  fc
    .tuple(
      fc.oneof(
        hostileString.filter((id) => id.length > 0).map(percentEncode),
        fc.ulid(),
        fc.constantFrom('..', '%2e%2e', '%2F', '%00', ';', 'x'.repeat(101)),
      ),
      fc.oneof(
        fc.constant<undefined>(undefined),
        fc.constantFrom('limit=0', 'limit=101', 'limit=x', 'limit=1&limit=2', 'cursor=', 'cursor=AAAA'),
        hostileString.map((text) => `cursor=${percentEncode(text) || 'x'}`),
      ),
      fc.oneof(
        hostileString.filter((id) => id.length > 0).map(percentEncode),
        fc.ulid().map((id) => `${id}.completed`),
        fc.constantFrom('x', '%2F', '..', '01JD0000000000000000000000.completed.1.2'),
      ),
      fc.boolean(),
      user,
    )
    .map(([jobId, query, deliveryId, redeliver, credentials]) =>
      redeliver
        ? {
            method: 'POST' as const,
            path: `/v1/jobs/${jobId}/deliveries/${deliveryId}/redeliver`,
            headers: {},
            credentials,
          }
        : {
            method: 'GET' as const,
            path: `/v1/jobs/${jobId}/deliveries${query === undefined ? '' : `?${query}`}`,
            headers: {},
            credentials,
          },
    )
    .filter(fitsNode),
);

/** A request whose head (request line and headers) is over Node's 16 KB limit: a huge header, or a huge URL. */
export const oversizedHeads: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.integer({ min: 17_000, max: 64_000 }),
    fc.constantFrom('x-padding', 'authorization', 'cookie', 'x-request-id', 'user-agent'),
    fc.boolean(),
  )
  .map(([size, header, inTheUrl]) =>
    inTheUrl
      ? {
          method: 'GET' as const,
          path: `/v1/jobs?cursor=${'x'.repeat(size)}`,
          headers: {},
          credentials: { kind: 'user' },
        }
      : {
          method: 'GET' as const,
          path: '/v1/jobs',
          headers: header === 'authorization' ? {} : { [header]: 'x'.repeat(size) },
          credentials:
            header === 'authorization'
              ? {
                  kind: 'bad token' as const,
                  recipe: { kind: 'garbage' as const, text: 'x'.repeat(size) },
                  authorization: (token: string) => `Bearer ${token}`,
                }
              : { kind: 'user' as const },
        },
  );
