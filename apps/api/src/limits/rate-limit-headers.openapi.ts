import type { OpenAPIObject } from '@nestjs/swagger';
import { RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER } from './rate-limit-headers.js';

const NAME = '"[a-z-]+"';
const POLICY_ITEM = `${NAME};q=\\d+(;qu="[a-z-]+")?(;w=\\d+)?`;
const LIMIT_ITEM = `${NAME};r=\\d+(;t=\\d+)?`;
const list = (item: string): string => `^${item}(, ${item})*$`;

const HEADERS = {
  [RATE_LIMIT_POLICY_HEADER]: {
    description:
      'The limits that apply to you (draft-ietf-httpapi-ratelimit-headers): `q` per `w` seconds. ' +
      '`requests-per-minute` on every answer to an authenticated request; `jobs-per-day` and `jobs-in-flight` ' +
      '(`qu="concurrent-requests"`, no window) also on POST /v1/jobs once the body is valid. Absent for a limit ' +
      'your groups do not have.',
    required: false,
    schema: { type: 'string', pattern: list(POLICY_ITEM), example: '"requests-per-minute";q=120;w=60' },
  },
  [RATE_LIMIT_HEADER]: {
    description: 'What is left of each limit in `RateLimit-Policy`: `r` available, restored in `t` seconds.',
    required: false,
    schema: { type: 'string', pattern: list(LIMIT_ITEM), example: '"requests-per-minute";r=119;t=42' },
  },
};

/** Every answer of a route that needs a token may carry the RateLimit fields: say so on each of its responses. */
export function withRateLimitHeaders(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, ...HEADERS },
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of [pathItem.get, pathItem.put, pathItem.post, pathItem.delete, pathItem.patch]) {
      if (!operation?.security?.length) {
        continue;
      }
      for (const response of Object.values(operation.responses ?? {})) {
        if (response && 'description' in response) {
          response.headers = {
            ...response.headers,
            [RATE_LIMIT_POLICY_HEADER]: { $ref: `#/components/headers/${RATE_LIMIT_POLICY_HEADER}` },
            [RATE_LIMIT_HEADER]: { $ref: `#/components/headers/${RATE_LIMIT_HEADER}` },
          };
        }
      }
    }
  }
  return document;
}
