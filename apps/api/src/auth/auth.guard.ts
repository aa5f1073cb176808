import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import type { AuthenticatedRequest } from './current-user.decorator.js';
import { IS_PUBLIC } from './public.decorator.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

/** Global guard: every route needs a valid Bearer access token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
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
      request.user = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        this.logger.info({ reason: error.message }, 'rejected token');
        throw new UnauthorizedException('The access token is invalid or expired');
      }
      throw error;
    }
    this.logger.assign({ userId: request.user.id });
    return true;
  }
}
