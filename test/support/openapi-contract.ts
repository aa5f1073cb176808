import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Checks HTTP answers against an OpenAPI 3.1 document (the committed openapi.json): the route and method are
 * described, the status is documented for them, the content type is one the document lists, the body matches that
 * schema (with JSON Schema 2020-12 via ajv; NDJSON line by line, text such as CSV as a string), and every header the document marks required is present and valid.
 *
 * Stricter than the document itself on one point: an object may not carry properties the document does not name
 * (the published document stays open so clients tolerate new fields; the tests must not let one slip by undocumented).
 */

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, which is the plugin
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/** One answer, as the api sent it. */
export interface ObservedResponse {
  method: string;
  /** The matched route's template in Fastify's syntax (`/v1/jobs/:jobId`); undefined when no route matched. */
  route: string | undefined;
  url: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string | undefined;
  requestHeaders?: Record<string, string | string[] | undefined>;
}

/** Answers outside the api's contract: the document and Swagger UI themselves, and CORS preflights. */
function isExempt(response: ObservedResponse): boolean {
  const path = response.url.split('?')[0]!;
  if (path === '/docs' || path.startsWith('/docs/') || path === '/docs-json' || path === '/docs-yaml') {
    return true;
  }
  return response.method === 'OPTIONS' && response.requestHeaders?.['access-control-request-method'] !== undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

// OpenAPI's own keywords: ajv must know them to compile the document, and they validate nothing
const OPENAPI_KEYWORDS = [
  'openapi',
  'info',
  'servers',
  'paths',
  'webhooks',
  'components',
  'security',
  'tags',
  'externalDocs',
  'jsonSchemaDialect',
  'example',
  'xml',
  'discriminator',
];

type JsonObject = Record<string, unknown>;

interface HeaderObject {
  required?: boolean;
  schema?: JsonObject;
}

interface ResponseObject {
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema?: JsonObject }>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Closes every object schema that does not say what to do with other properties. */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (!isObject(node)) {
    return;
  }
  if (
    node.type === 'object' &&
    isObject(node.properties) &&
    !('additionalProperties' in node) &&
    !('unevaluatedProperties' in node)
  ) {
    node.unevaluatedProperties = false;
  }
  Object.values(node).forEach(closeObjects);
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `/v1/jobs/:jobId` → `/v1/jobs/{jobId}` */
function toOpenApiPath(route: string): string {
  return route.replace(/:(\w+)/g, '{$1}');
}

function headerValue(headers: ObservedResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) {
    return undefined;
  }
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((error) => {
      const named = error.params.unevaluatedProperty ?? error.params.additionalProperty;
      return `${error.instancePath || '(root)'} ${error.message ?? ''}${named === undefined ? '' : `: ${String(named)}`}`;
    })
    .join('; ');
}

/** How a media type's body is read before its schema checks it. */
function bodyKind(mediaType: string): 'json' | 'json lines' | 'text' {
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/jsonl') {
    return 'json lines';
  }
  return mediaType === 'application/json' || mediaType.endsWith('+json') ? 'json' : 'text';
}

export class OpenApiContract {
  private readonly ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  private readonly headersAjv = new Ajv2020({ allErrors: true, strictTypes: false, coerceTypes: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly document: JsonObject;
  private static readonly DOCUMENT_ID = 'openapi.json';

  constructor(document: JsonObject) {
    this.document = structuredClone(document);
    closeObjects(this.document);
    for (const ajv of [this.ajv, this.headersAjv]) {
      ajv.addVocabulary(OPENAPI_KEYWORDS);
      addFormats(ajv);
    }
    this.ajv.addSchema({ ...this.document, $id: OpenApiContract.DOCUMENT_ID });
  }

  static fromFile(path = OPENAPI_FILE): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(path, 'utf8')) as JsonObject);
  }

  /** The violations of this answer (none when it matches), or undefined when the answer is exempt. */
  check(response: ObservedResponse): string[] | undefined {
    if (isExempt(response)) {
      return undefined;
    }
    const where = `${response.method} ${response.url} → ${response.status}`;
    const found = this.responseObject(response);
    if (typeof found === 'string') {
      return [`${where}: ${found}`];
    }
    const { pointer, responseObject } = found;
    return [...this.checkHeaders(responseObject, response), ...this.checkBody(pointer, responseObject, response)].map(
      (violation) => `${where}: ${violation}`,
    );
  }

  /** The document's response object for this answer, or why there is none. */
  private responseObject(response: ObservedResponse): { pointer: string; responseObject: ResponseObject } | string {
    const paths = this.document.paths as Record<string, JsonObject>;
    if (response.route === undefined && (response.status === 404 || response.status === 400)) {
      // no route matched: the api's generic problem (404, or 400 for a URL that cannot be decoded) is the one answer
      // the document cannot list per path
      return this.genericProblem();
    }
    // a wrong method on a known path matches no route either; it is judged by the path the URL belongs to
    const path = response.route === undefined ? this.documentedPathOf(response.url) : toOpenApiPath(response.route);
    if (path === undefined) {
      return `no route matched, and the answer is not the generic 404 problem`;
    }
    const pathItem = paths[path];
    if (!pathItem) {
      return `route ${path} is not in openapi.json`;
    }
    // HEAD is GET without the body (RFC 9110, 9.3.2): Fastify serves it on every GET route, undocumented
    const method = response.method === 'HEAD' && !('head' in pathItem) ? 'get' : response.method.toLowerCase();
    const operation = pathItem[method] as { responses?: Record<string, ResponseObject> } | undefined;
    if (!operation) {
      if (response.status === 405) {
        const allowed = METHODS.filter((m) => m in pathItem).map((m) => m.toUpperCase());
        const allow = headerValue(response.headers, 'allow');
        const listed = (allow ?? '').split(',').map((m) => m.trim());
        if (!allowed.every((m) => listed.includes(m))) {
          return `405 without an Allow header naming the documented methods (${allowed.join(', ')}): ${allow}`;
        }
        return this.genericProblem();
      }
      return `${response.method} ${path} is not in openapi.json`;
    }
    const responses = operation.responses ?? {};
    const status = String(response.status);
    const key = [status, `${status[0]}XX`, 'default'].find((candidate) => candidate in responses);
    if (!key) {
      return `status ${status} is not documented for ${response.method} ${path} (documented: ${Object.keys(responses).join(', ')})`;
    }
    return {
      pointer: `#/paths/${escapePointer(path)}/${method}/responses/${escapePointer(key)}`,
      responseObject: responses[key]!,
    };
  }

  /** The document's path template (`/v1/jobs/{jobId}`) that a concrete URL falls under, if any. */
  private documentedPathOf(url: string): string | undefined {
    const path = (url.split('?', 1)[0] ?? url).replace(/(.)\/$/, '$1');
    return Object.keys(this.document.paths as JsonObject).find((template) => {
      const pattern = template
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      return new RegExp(`^${pattern}$`).test(path);
    });
  }

  /** An answer the document cannot list per route (404 for an unknown path, 405): a problem with X-Request-Id. */
  private genericProblem(): { pointer: string; responseObject: ResponseObject } {
    return {
      pointer: '',
      responseObject: {
        headers: { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } },
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } },
      },
    };
  }

  private resolveHeader(header: HeaderObject | { $ref: string }): HeaderObject {
    if ('$ref' in header) {
      const target = header.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, segment) => (isObject(node) ? node[segment] : undefined), this.document);
      return (target as HeaderObject | undefined) ?? {};
    }
    return header;
  }

  private checkHeaders(responseObject: ResponseObject, response: ObservedResponse): string[] {
    const violations: string[] = [];
    for (const [name, declared] of Object.entries(responseObject.headers ?? {})) {
      const header = this.resolveHeader(declared);
      const value = headerValue(response.headers, name);
      if (value === undefined) {
        if (header.required) {
          violations.push(`required header ${name} is missing`);
        }
        continue;
      }
      if (header.schema) {
        const validate = this.headersAjv.compile({ type: 'object', properties: { value: header.schema } });
        if (!validate({ value })) {
          violations.push(`header ${name}: ${JSON.stringify(value)} ${describeErrors(validate.errors)}`);
        }
      }
    }
    return violations;
  }

  private checkBody(pointer: string, responseObject: ResponseObject, response: ObservedResponse): string[] {
    const content = responseObject.content;
    if (response.method === 'HEAD') {
      // the headers of the GET answer, which were checked; the body is never sent
      return [];
    }
    const hasBody = response.body !== undefined && response.body.length > 0;
    if (!content) {
      return hasBody ? ['the document describes no body, but one was sent'] : [];
    }
    const contentType = headerValue(response.headers, 'content-type')?.split(';')[0]?.trim();
    const media = contentType ? content[contentType] : undefined;
    if (!contentType || !media) {
      const documented = Object.keys(content).join(', ');
      return [`content type ${contentType ?? '(none)'} is not documented (documented: ${documented})`];
    }
    if (!media.schema) {
      return [];
    }
    // a schema is compiled where it sits in the document, so that its references resolve against the document
    const ref =
      typeof media.schema.$ref === 'string'
        ? `${OpenApiContract.DOCUMENT_ID}${media.schema.$ref}`
        : `${OpenApiContract.DOCUMENT_ID}${pointer}/content/${escapePointer(contentType)}/schema`;
    const validate = this.validator(ref);
    const text = response.body ?? '';
    switch (bodyKind(contentType)) {
      case 'json': {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return [`the body is not JSON: ${text.slice(0, 200)}`];
        }
        return validate(body) ? [] : [`body ${describeErrors(validate.errors)}`];
      }
      case 'json lines':
        return this.checkJsonLines(text, validate);
      case 'text':
        // text (CSV) is described as a string: its type is all a schema can say about it
        return validate(text) ? [] : [`body ${describeErrors(validate.errors)}`];
    }
  }

  /** NDJSON: the schema describes one line; every line must be JSON matching it, and the body ends with a newline. */
  private checkJsonLines(text: string, validate: ValidateFunction): string[] {
    if (!text.endsWith('\n')) {
      return ['the NDJSON body does not end with a newline'];
    }
    return text
      .slice(0, -1)
      .split('\n')
      .flatMap((line, index) => {
        let item: unknown;
        try {
          item = JSON.parse(line);
        } catch {
          return [`line ${index + 1} is not JSON: ${line.slice(0, 200)}`];
        }
        return validate(item) ? [] : [`line ${index + 1} ${describeErrors(validate.errors)}`];
      });
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

/** What the e2e suite saw: every answer of every api started by startApi() is checked as it is sent. */
class ContractRecorder {
  private contract: OpenApiContract | undefined;
  private violations: string[] = [];
  validated = 0;

  record(response: ObservedResponse): void {
    this.contract ??= OpenApiContract.fromFile();
    const violations = this.contract.check(response);
    if (violations !== undefined) {
      this.validated += 1;
      this.violations.push(...violations);
    }
  }

  /** The violations recorded since the last call. */
  takeViolations(): string[] {
    const taken = this.violations;
    this.violations = [];
    return taken;
  }
}

export const contractRecorder = new ContractRecorder();
