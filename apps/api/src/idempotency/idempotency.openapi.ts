import type { ApiHeaderOptions } from '@nestjs/swagger';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH,
} from './idempotency-key.js';

export const IDEMPOTENCY_KEY_HEADER_DOC: ApiHeaderOptions = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    `Makes the request safe to retry (IETF httpapi Idempotency-Key draft): 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} ` +
    'visible ASCII characters, as a quoted Structured Fields string (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`) or ' +
    'bare (`8e03978e-40d5-43e8-bc93-6894a57f9324`). Within 24 hours, the same key with the same body creates ' +
    'nothing new and returns the first answer with `Idempotent-Replayed: true`; with another body it is a 422; ' +
    'while the first request is still running, a 409. Keys are per user. An error answer is not kept: retrying ' +
    'with the same key runs the request again.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN, example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
};

export const IDEMPOTENT_REPLAYED_HEADER_DOC = {
  [IDEMPOTENT_REPLAYED_HEADER]: {
    description: 'Present on a replayed answer: an earlier request with the same `Idempotency-Key` created the job',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
};
