import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { ApiKeyVerifier } from '../keys/api-key-verifier.js';
import { looksLikeApiKey } from '../keys/api-key-format.js';
import type { AuthenticatedRequest } from './current-user.decorator.js';
import { IS_PUBLIC } from './public.decorator.js';
import { type ApiScope, assertScope, REQUIRED_SCOPE } from './scopes.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

/**
 * Global guard: every route needs a valid Bearer credential unless marked @Public(): a signed-in user's access
 * token, or an API key (`igk_...`) whose scopes include the route's @RequireScope (403 otherwise).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly keys: ApiKeyVerifier,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AuthGuard.name);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) {
      throw new UnauthorizedException('Missing Bearer token in the Authorization header');
    }
    try {
      const credential = match[1];
      request.user = looksLikeApiKey(credential)
        ? await this.keys.verify(credential)
        : await this.verifier.verify(credential);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        this.logger.info({ reason: error.message }, 'rejected token');
        throw new UnauthorizedException('The access token is invalid or expired');
      }
      throw error;
    }
    this.logger.assign({
      userId: request.user.id,
      ...(request.user.apiKey ? { apiKeyId: request.user.apiKey.id } : {}),
    });
    assertScope(
      request.user,
      this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, [
        context.getHandler(),
        context.getClass(),
      ]),
    );
    return true;
  }
}
