import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

/** A user id as OpenID Connect allows a `sub`: 1 to 255 printable ASCII characters (Cognito's are UUIDs). */
export const USER_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The `owner` query parameter that only administrators may use (the service answers 403 for anyone else); a value
 * that is not a user id, or is given twice, is a 400 naming `owner`.
 */
export function OwnerParam(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `Administrators only (403 for anyone else): ${description} The user id is the token’s \`sub\`.`,
      example: 'b5d0c8f4-0000-5000-8000-000000000001',
      maxLength: 255,
    }),
    IsOptional(),
    Matches(USER_ID_PATTERN, { message: 'owner must be a user id (the `sub` of their token)' }),
    IsString({ message: 'owner must be given once, as a string' }),
  );
}
