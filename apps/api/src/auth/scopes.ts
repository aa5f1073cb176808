import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ProblemException } from '../problem/problem.js';
import type { AuthUser } from './auth-user.js';

/** What an API key may be allowed to do; a signed-in user's token may do all of it. */
export const API_SCOPES = ['jobs:read', 'jobs:write', 'usage:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const REQUIRED_SCOPE = 'imggen:requiredScope';

/** The OpenAPI security scheme of API keys (the signed-in user's JWT is `bearer`). */
export const API_KEY_SECURITY = 'apiKey';

/**
 * The scope an API key needs for this route; the route also accepts keys (documented as the `apiKey` security
 * scheme). A route without it accepts only signed-in users' tokens: a key is refused with 403.
 */
export const RequireScope = (scope: ApiScope): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_SCOPE, scope), ApiBearerAuth(API_KEY_SECURITY));

/** 403 unless the caller may use a route that needs `required` (undefined: the route takes no API keys). */
export function assertScope(user: AuthUser, required: ApiScope | undefined): void {
  if (!user.apiKey) {
    return;
  }
  if (required === undefined) {
    throw ProblemException.forbidden(
      'API keys cannot use this route (keys are managed with a signed-in user’s access token)',
    );
  }
  if (!user.apiKey.scopes.includes(required)) {
    throw ProblemException.forbidden(`This API key lacks the scope ${required}`, [
      { field: 'scope', message: `needs ${required}; the key has ${user.apiKey.scopes.join(', ') || 'none'}` },
    ]);
  }
}
