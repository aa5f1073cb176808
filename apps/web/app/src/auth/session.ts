/** Who is signed in: the access token and what the dashboard reads from it. Kept for this tab only. */
export interface Session {
  token: string;
  username: string;
  admin: boolean;
  /** ms since the epoch */
  expiresAt: number;
}

const KEY = 'imggen.session';

/** Reads a JWT's claims without verifying them (the api verifies; the dashboard only shows the name). */
export function sessionFromToken(token: string, fallbackName = 'you'): Session {
  const payload = token.split('.')[1];
  let claims: Record<string, unknown> = {};
  try {
    const base64 = payload!.replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='))) as Record<
      string,
      unknown
    >;
  } catch {
    // not a JWT: treat it as opaque
  }
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]) : [];
  return {
    token,
    username: typeof claims.username === 'string' ? claims.username : fallbackName,
    admin: groups.includes('admin'),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000,
  };
}

export function loadSession(storage: Storage = sessionStorage, now = Date.now()): Session | undefined {
  try {
    const session = JSON.parse(storage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > now ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined, storage: Storage = sessionStorage): void {
  if (session) {
    storage.setItem(KEY, JSON.stringify(session));
  } else {
    storage.removeItem(KEY);
  }
}

/** POST /token of the dev identity provider, through the web server (locally only). */
export async function requestDevToken(
  tokenUrl: string,
  username: string,
  admin: boolean,
  fetchFn: typeof fetch = fetch,
): Promise<Session> {
  const response = await fetchFn(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, ...(admin ? { admin: true } : {}) }),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new Error(problem.detail ?? `The dev sign-in answered ${response.status}`);
  }
  const { access_token: token } = (await response.json()) as { access_token: string };
  return sessionFromToken(token, username);
}
