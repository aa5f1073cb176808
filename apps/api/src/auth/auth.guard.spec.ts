import { describe, expect, it, jest } from '@jest/globals';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { type Reflector } from '@nestjs/core';
import type { PinoLogger } from 'nestjs-pino';
import { AuthGuard } from './auth.guard.js';
import { InvalidTokenError, type TokenVerifier } from './token-verifier.js';

function contextWith(authorization: string | undefined): { context: ExecutionContext; request: { user?: unknown } } {
  const request = { headers: authorization === undefined ? {} : { authorization } } as { user?: unknown };
  const context = {
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

function guardWith(verify: TokenVerifier['verify']): AuthGuard {
  const logger = { setContext: jest.fn(), info: jest.fn(), assign: jest.fn() } as unknown as PinoLogger;
  const reflector = { getAllAndOverride: () => undefined } as unknown as Reflector;
  return new AuthGuard(reflector, { verify } as TokenVerifier, logger);
}

describe(AuthGuard.name, () => {
  it('answers 401 for every token the verifier refuses, without its reason', async () => {
    const guard = guardWith(() => Promise.reject(new InvalidTokenError('token has no expiry')));
    const failure = await guard.canActivate(contextWith('Bearer a.b.c').context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnauthorizedException);
    expect((failure as UnauthorizedException).getStatus()).toBe(401);
    expect((failure as UnauthorizedException).message).not.toContain('expiry');
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b'])(
    'answers 401 for the Authorization header %p',
    async (authorization) => {
      const verify = jest.fn<TokenVerifier['verify']>();
      const guard = guardWith(verify);
      await expect(guard.canActivate(contextWith(authorization).context)).rejects.toBeInstanceOf(UnauthorizedException);
      expect(verify).not.toHaveBeenCalled();
    },
  );

  it('puts the verified user on the request', async () => {
    const user = { id: 'u-1', username: 'alice', groups: [] };
    const { context, request } = contextWith('Bearer a.b.c');
    await expect(guardWith(() => Promise.resolve(user)).canActivate(context)).resolves.toBe(true);
    expect(request.user).toBe(user);
  });
});
