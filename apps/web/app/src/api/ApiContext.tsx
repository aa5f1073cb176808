import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useAuth } from '../auth/AuthContext';
import { ApiError, type ApiClient, createApiClient } from './client';

/** fetch for a path of the api (a job's link), with the user's token; a 401 signs the user out. */
export type AuthorizedFetch = (href: string, init?: RequestInit) => Promise<Response>;

interface ApiContextValue {
  client: ApiClient;
  authorizedFetch: AuthorizedFetch;
  /**
   * Follows a link of a job view (POST links.cancel, DELETE links.self): the job view decides which actions exist,
   * so the dashboard never builds those URLs itself. Resolves with the answer's JSON (undefined for a 204).
   */
  follow: (method: 'POST' | 'DELETE', href: string) => Promise<unknown>;
}

const ApiContext = createContext<ApiContextValue | undefined>(undefined);

export function ApiProvider({ baseUrl, children }: { baseUrl: string; children: ReactNode }) {
  const auth = useAuth();
  const token = auth.session?.token;
  const { expire } = auth;
  const value = useMemo<ApiContextValue>(() => {
    const getToken = () => token;
    const client = createApiClient({ baseUrl, getToken, onUnauthorized: expire });
    const authorizedFetch: AuthorizedFetch = async (href, init = {}) => {
      const headers = new Headers(init.headers);
      if (token) {
        headers.set('authorization', `Bearer ${token}`);
      }
      const response = await fetch(`${baseUrl}${href}`, { ...init, headers });
      if (response.status === 401) {
        expire();
      }
      return response;
    };
    const follow = async (method: 'POST' | 'DELETE', href: string): Promise<unknown> => {
      let response: Response;
      try {
        response = await authorizedFetch(href, { method });
      } catch {
        throw new ApiError(0, undefined);
      }
      const body = response.status === 204 ? undefined : ((await response.json().catch(() => undefined)) as unknown);
      if (!response.ok) {
        const retryAfter = Number(response.headers.get('retry-after')) || undefined;
        throw new ApiError(response.status, body as ApiError['problem'], retryAfter);
      }
      return body;
    };
    return { client, authorizedFetch, follow };
  }, [baseUrl, token, expire]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiContextValue {
  const api = useContext(ApiContext);
  if (!api) {
    throw new Error('useApi outside <ApiProvider>');
  }
  return api;
}
