import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { App } from '../App';
import { saveSession } from '../auth/session';
import { navigate } from '../router';

export const API = 'http://api.test';

export type Handler = (request: Request) => Response | Promise<Response>;

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });

/** A fake api: `METHOD /path` → handler; every request is recorded. Installed as the global fetch. */
export function fakeApi(routes: Record<string, Handler>) {
  const requests: { method: string; path: string; body: unknown; authorization: string | null }[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), API), init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    requests.push({
      method: request.method,
      path: url.pathname,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      authorization: request.headers.get('authorization'),
    });
    const handler = routes[`${request.method} ${url.pathname}`];
    return handler
      ? handler(request)
      : json(
          { title: 'Not found', status: 404, type: 'about:blank', detail: url.pathname, instance: url.pathname },
          404,
        );
  };
  globalThis.fetch = fetchFn;
  return { requests };
}

export const TOKEN_ALICE = `h.${btoa(JSON.stringify({ username: 'alice', exp: 4_000_000_000 }))}.s`;

/** The whole app signed in as alice (or not), at `path`, against the fake api. */
export function renderApp({
  path = '/',
  signedIn = true,
  admin = false,
}: { path?: string; signedIn?: boolean; admin?: boolean } = {}) {
  saveSession(signedIn ? { token: TOKEN_ALICE, username: 'alice', admin, expiresAt: 4_000_000_000_000 } : undefined);
  navigate(path, { replace: true });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const element: ReactElement = (
    <App config={{ apiUrl: API, auth: { kind: 'dev', tokenUrl: `${API}/dev-idp/token` } }} queryClient={queryClient} />
  );
  return render(element);
}
