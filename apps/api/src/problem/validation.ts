import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { type FieldError, ProblemException } from './problem.js';

/**
 * Flattens class-validator's tree into one entry per bad field, named by its path (`params.width`, and with the
 * index of an array's member: `jobs[3].steps`).
 */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = !parent
      ? error.property
      : /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      // class-validator's "property x should not exist" does not say what to do
      message: constraint === 'whitelistValidation' ? `${field} is not a field of this request` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

export function validationExceptionFactory(errors: ValidationError[]): ProblemException {
  return ProblemException.validation(toFieldErrors(errors));
}

const common = {
  whitelist: true,
  forbidUnknownValues: true,
  transform: true,
  // one message per field: the first constraint that fails
  stopAtFirstError: true,
  exceptionFactory: validationExceptionFactory,
} as const;

/**
 * Validates every DTO. An unknown body field is a 400 (a typo must not be silently dropped), while unknown
 * query parameters are stripped: browsers and proxies add cache busters such as `?_=123`.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...common, forbidNonWhitelisted: true });
  private readonly lenient = new ValidationPipe({ ...common, forbidNonWhitelisted: false });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw ProblemException.validation([], 'The request body must be a JSON object');
      }
      refuseSilentlyDroppedKeys(value, metadata.metatype);
    }
    return (metadata.type === 'query' ? this.lenient : this.strict).transform(value, metadata);
  }
}

/**
 * Keys that would vanish without a word: Nest's ValidationPipe deletes `__proto__`, `prototype` and `constructor`,
 * and class-transformer skips a key naming a method the DTO inherits (`toString`, `valueOf`, ...), so whitelisting
 * never sees them. Refused here like any other field the request does not have.
 */
function refuseSilentlyDroppedKeys(body: object, metatype: ArgumentMetadata['metatype']): void {
  const dropped = [
    ...Object.keys(body).filter((key) => key === 'prototype' || key in (metatype?.prototype ?? Object.prototype)),
    // nested bodies (a batch's jobs) lose the same keys: their DTOs add no methods, Object's are the ones to check
    ...Object.entries(body).flatMap(([key, value]) => droppedNestedKeys(value, key)),
  ];
  if (dropped.length > 0) {
    throw ProblemException.validation(
      dropped.map((field) => ({ field, message: `${field} is not a field of this request` })),
    );
  }
}

function droppedNestedKeys(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((member, index) => droppedNestedKeys(member, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, member]) => [
    ...(key === 'prototype' || key in Object.prototype ? [`${path}.${key}`] : []),
    ...droppedNestedKeys(member, `${path}.${key}`),
  ]);
}
