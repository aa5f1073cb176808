import createClient, { type Client } from 'openapi-fetch';
import type { paths, Problem } from './types';

export type ApiClient = Client<paths>;

/** A refused or failed request: the problem document when the api sent one, and Retry-After on a 429. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(problem?.detail ?? problem?.title ?? `The api answered ${status}`);
    this.name = 'ApiError';
  }

  /** Field → message, from a 400's `errors[]`. */
  get fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem?.errors ?? []).map((error) => [error.field, error.message]));
  }

  get isBudgetExhausted(): boolean {
    return this.status === 429 && this.problem?.budget !== undefined;
  }
}

export interface ApiClientOptions {
  /** '' for the page's own origin (the web server proxies /v1). */
  baseUrl: string;
  getToken: () => string | undefined;
  /** The token was refused: the caller signs the user out (and keeps their draft). */
  onUnauthorized: () => void;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    // resolved at call time, so tests can replace the global fetch
    fetch: (request: Request) => (options.fetch ?? globalThis.fetch)(request),
  });
  client.use({
    onRequest({ request }) {
      const token = options.getToken();
      if (token) {
        request.headers.set('authorization', `Bearer ${token}`);
      }
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) {
        options.onUnauthorized();
      }
      return response;
    },
  });
  return client;
}

/** openapi-fetch's result → the data, or an ApiError; a network failure becomes an ApiError with status 0. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  const { data, error, response } = result;
  if (response.ok) {
    return data as T;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  const problem = isProblem(error) ? error : undefined;
  throw new ApiError(response.status, problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/** What to tell the user about a failed request. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  if (error.status === 0) {
    return 'The api cannot be reached. Check that it is running, then try again.';
  }
  if (error.isBudgetExhausted) {
    const whose = { user: 'Your', key: 'This key’s', platform: 'The platform’s' }[error.problem!.budget!];
    const resets = error.problem?.resetsAt
      ? ` It resets on ${new Date(error.problem.resetsAt).toLocaleDateString()}.`
      : '';
    return `${whose} monthly budget is spent.${resets}`;
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds ? ` Try again in ${formatSeconds(error.retryAfterSeconds)}.` : '';
    return `${error.problem?.detail ?? 'Too many requests.'}${wait}`;
  }
  if (error.status >= 500) {
    return `The api is unavailable (${error.status}). Try again in a moment.`;
  }
  return error.message;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) {
    return `${Math.max(1, Math.round(seconds))} s`;
  }
  if (seconds < 3600) {
    const minutes = Math.floor(seconds / 60);
    const rest = Math.round(seconds % 60);
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
