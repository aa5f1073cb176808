import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useAuth } from '../auth/AuthContext';
import { ApiError, type ApiClient, createApiClient } from './client';

interface ApiContextValue {
  client: ApiClient;
  /** Follows a link of a job view (cancel, delete): the lifecycle routes are not in the typed client yet. */
  follow: (method: 'POST' | 'DELETE', href: string) => Promise<void>;
}

const ApiContext = createContext<ApiContextValue | undefined>(undefined);

export function ApiProvider({ baseUrl, children }: { baseUrl: string; children: ReactNode }) {
  const auth = useAuth();
  const token = auth.session?.token;
  const { expire } = auth;
  const value = useMemo<ApiContextValue>(() => {
    const getToken = () => token;
    const client = createApiClient({ baseUrl, getToken, onUnauthorized: expire });
    const follow = async (method: 'POST' | 'DELETE', href: string) => {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${href}`, {
          method,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      } catch {
        throw new ApiError(0, undefined);
      }
      if (response.status === 401) {
        expire();
      }
      if (!response.ok) {
        const problem = (await response.json().catch(() => undefined)) as ApiError['problem'];
        throw new ApiError(response.status, problem, Number(response.headers.get('retry-after')) || undefined);
      }
    };
    return { client, follow };
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
