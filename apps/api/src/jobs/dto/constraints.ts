import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { characterCount, isPlainText } from '#libs/contracts';

/*
 * Each constraint checks the type and the range of one field at once and says what is expected, so a
 * client never reads a range message about a value of the wrong type ("seed must not be greater than ..."
 * for "42"). Presence is `@IsDefined`, which class-validator runs before any other constraint.
 */

/** An integer in [min, max] (and a multiple of `multipleOf` when given). */
export function IsIntegerInRange(
  min: number,
  max: number,
  options: { multipleOf?: number } = {},
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  const { multipleOf } = options;
  const expected = multipleOf
    ? `a multiple of ${multipleOf} from ${min} to ${max}`
    : `an integer from ${min} to ${max}`;
  return ValidateBy(
    {
      name: 'isIntegerInRange',
      constraints: [min, max, multipleOf],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isInteger(value) &&
          value >= min &&
          value <= max &&
          (multipleOf === undefined || value % multipleOf === 0),
        defaultMessage: () => `$property must be ${expected}`,
      },
    },
    validationOptions,
  );
}

/** A finite number in [min, max]. */
export function IsNumberInRange(min: number, max: number, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumberInRange',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max,
        defaultMessage: () => `$property must be a number from ${min} to ${max}`,
      },
    },
    validationOptions,
  );
}

/** What is wrong with `value` as text (see IsText); undefined when nothing is. */
export function textProblem(value: unknown, options: { maxLength: number; allowBlank?: boolean }): string | undefined {
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  if (!options.allowBlank && value.trim().length === 0) {
    return 'must not be empty';
  }
  if (characterCount(value) > options.maxLength) {
    return `must be at most ${options.maxLength} characters`;
  }
  if (!isPlainText(value)) {
    return 'must not hold control characters (other than tab and line breaks) or lone surrogates';
  }
  return undefined;
}

/**
 * A string of at most `maxLength` characters, counted as the model catalog counts them (code points, see
 * characterCount). Unless `allowBlank`, it must hold more than white space. Never control characters other than
 * tab and line breaks, nor lone surrogates (see isPlainText).
 */
export function IsText(
  options: { maxLength: number; allowBlank?: boolean },
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  const problem = (value: unknown): string | undefined => textProblem(value, options);
  return ValidateBy(
    {
      name: 'isText',
      constraints: [options.maxLength],
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => `$property ${problem(args?.value) ?? 'is not valid'}`,
      },
    },
    validationOptions,
  );
}

/** A field the api knows but does not offer yet: any value is refused with `reason`. */
export function NotAvailableYet(reason: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notAvailableYet',
      validator: {
        validate: () => false,
        defaultMessage: () => `$property is not accepted: ${reason}`,
      },
    },
    validationOptions,
  );
}
