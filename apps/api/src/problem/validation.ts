import type { ValidationError } from 'class-validator';
import { type FieldError, ProblemException } from './problem.js';

/** Flattens class-validator's tree into one entry per bad field, named by its path (`params.width`). */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

export function validationExceptionFactory(errors: ValidationError[]): ProblemException {
  return ProblemException.validation(toFieldErrors(errors));
}
