/**
 * The dashboard's run-time configuration, fetched from /config.json: locally the web server answers it (dev
 * sign-in through the dev IdP); in AWS the deploy writes it next to the static files (Cognito hosted UI).
 */
export type AuthConfig =
  | { kind: 'dev'; tokenUrl: string }
  | {
      kind: 'oidc';
      /** The issuer, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc (OIDC discovery). */
      authority: string;
      clientId: string;
      redirectUri: string;
      scope: string;
      /** Cognito's /logout URL (it has no end_session_endpoint in its discovery document), optional. */
      logoutUrl?: string;
    };

export interface RuntimeConfig {
  /** The api's base URL; '' for the page's own origin. */
  apiUrl: string;
  auth: AuthConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const text = (raw: Record<string, unknown>, key: string): string | undefined => {
  const value = raw[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

const isUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Picks the sign-in from /config.json: `devTokenUrl` → dev sign-in; authority + clientId + redirectUri → OIDC. */
export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config.json is not a JSON object');
  }
  const record = raw as Record<string, unknown>;
  const apiUrl = (text(record, 'apiUrl') ?? '').replace(/\/+$/, '');
  if (apiUrl !== '' && !isUrl(apiUrl)) {
    throw new ConfigError('config.json: apiUrl must be an http(s) URL');
  }
  const devTokenUrl = text(record, 'devTokenUrl');
  const authority = text(record, 'authority');
  const clientId = text(record, 'clientId');
  const redirectUri = text(record, 'redirectUri');
  if (authority || clientId || redirectUri) {
    const missing = Object.entries({ authority, clientId, redirectUri })
      .filter(([, value]) => !value)
      .map(([key]) => key);
    if (missing.length > 0) {
      throw new ConfigError(`config.json: ${missing.join(', ')} missing for the hosted sign-in`);
    }
    for (const [key, value] of Object.entries({ authority, redirectUri })) {
      if (!isUrl(value!)) {
        throw new ConfigError(`config.json: ${key} must be an http(s) URL`);
      }
    }
    const logoutUrl = text(record, 'logoutUrl');
    return {
      apiUrl,
      auth: {
        kind: 'oidc',
        authority: authority!,
        clientId: clientId!,
        redirectUri: redirectUri!,
        scope: text(record, 'scope') ?? 'openid',
        ...(logoutUrl ? { logoutUrl } : {}),
      },
    };
  }
  if (devTokenUrl) {
    return { apiUrl, auth: { kind: 'dev', tokenUrl: devTokenUrl } };
  }
  throw new ConfigError('config.json names no sign-in: set authority, clientId and redirectUri (or devTokenUrl)');
}

export async function loadRuntimeConfig(fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetchFn('/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new ConfigError(`/config.json answered ${response.status}`);
  }
  return parseRuntimeConfig(await response.json());
}
