import type { ApiScope } from './scopes.js';

/** The API key a request was made with, and what it may do. */
export interface ApiKeyPrincipal {
  id: string;
  scopes: readonly ApiScope[];
  /** The key's own limits, on top of its owner's. */
  requestsPerMinute?: number;
  monthlyBudgetUsd?: number;
}

/**
 * The caller, taken from a verified access token or API key. `id` (the token's `sub`, a key's owner) owns the jobs.
 * `apiKey` is set when an API key authenticated the request: it acts as its owner with only its scopes.
 */
export interface AuthUser {
  id: string;
  username: string;
  groups: string[];
  apiKey?: ApiKeyPrincipal;
}
