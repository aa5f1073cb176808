/** The caller, taken from a verified access token. `id` (the token's `sub`) owns the jobs. */
export interface AuthUser {
  id: string;
  username: string;
  groups: string[];
}
