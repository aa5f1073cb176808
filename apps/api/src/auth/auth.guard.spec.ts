import { describe, expect, it, jest } from '@jest/globals';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { type Reflector } from '@nestjs/core';
import type { PinoLogger } from 'nestjs-pino';
import type { ApiKeyVerifier } from '../keys/api-key-verifier.js';
import { ProblemException } from '../problem/problem.js';
import { AuthGuard } from './auth.guard.js';
import type { ApiScope } from './scopes.js';
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

function guardWith(
  verify: TokenVerifier['verify'],
  {
    verifyKey = jest.fn<ApiKeyVerifier['verify']>(),
    scope,
  }: { verifyKey?: ApiKeyVerifier['verify']; scope?: ApiScope } = {},
): AuthGuard {
  const logger = { setContext: jest.fn(), info: jest.fn(), assign: jest.fn() } as unknown as PinoLogger;
  // @Public() is never set here; the route's @RequireScope is `scope`
  const reflector = {
    getAllAndOverride: (key: string) => (key === 'imggen:requiredScope' ? scope : undefined),
  } as unknown as Reflector;
  return new AuthGuard(reflector, { verify } as TokenVerifier, { verify: verifyKey } as ApiKeyVerifier, logger);
}

const KEY = 'igk_live_01JD0000000000000000000000_secret';
const keyUser = (scopes: ApiScope[]) => ({ id: 'u-1', username: 'alice', groups: [], apiKey: { id: 'k-1', scopes } });

async function forbidden(promise: Promise<unknown>): Promise<ProblemException> {
  const failure = await promise.catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ProblemException);
  expect((failure as ProblemException).getStatus()).toBe(403);
  return failure as ProblemException;
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

  it('verifies igk_ credentials as API keys, never as tokens', async () => {
    const verify = jest.fn<TokenVerifier['verify']>();
    const verifyKey = jest.fn<ApiKeyVerifier['verify']>().mockResolvedValue(keyUser(['jobs:read']));
    const { context, request } = contextWith(`Bearer ${KEY}`);
    await expect(guardWith(verify, { verifyKey, scope: 'jobs:read' }).canActivate(context)).resolves.toBe(true);
    expect(verifyKey).toHaveBeenCalledWith(KEY);
    expect(verify).not.toHaveBeenCalled();
    expect(request.user).toEqual(keyUser(['jobs:read']));
  });

  it('answers 401 for a key the key verifier refuses', async () => {
    const verifyKey = () => Promise.reject(new InvalidTokenError('API key expired'));
    const guard = guardWith(jest.fn<TokenVerifier['verify']>(), { verifyKey, scope: 'jobs:read' });
    await expect(guard.canActivate(contextWith(`Bearer ${KEY}`).context)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('answers 403 naming the scope a key lacks', async () => {
    const verifyKey = () => Promise.resolve(keyUser(['jobs:read', 'usage:read']));
    const guard = guardWith(jest.fn<TokenVerifier['verify']>(), { verifyKey, scope: 'jobs:write' });
    const problem = await forbidden(guard.canActivate(contextWith(`Bearer ${KEY}`).context));
    expect(problem.problem.detail).toBe('This API key lacks the scope jobs:write');
  });

  it('answers 403 to a key on a route that declares no scope (managing keys)', async () => {
    const verifyKey = () => Promise.resolve(keyUser(['jobs:read', 'jobs:write', 'usage:read']));
    const guard = guardWith(jest.fn<TokenVerifier['verify']>(), { verifyKey });
    const problem = await forbidden(guard.canActivate(contextWith(`Bearer ${KEY}`).context));
    expect(problem.problem.detail).toMatch(/API keys cannot use this route/);
  });

  it('gives a signed-in user’s token every scope', async () => {
    const user = { id: 'u-1', username: 'alice', groups: [] };
    await expect(
      guardWith(() => Promise.resolve(user), { scope: 'usage:read' }).canActivate(contextWith('Bearer a.b.c').context),
    ).resolves.toBe(true);
    await expect(guardWith(() => Promise.resolve(user)).canActivate(contextWith('Bearer a.b.c').context)).resolves.toBe(
      true,
    );
  });
});
