import type { AuthConfig } from './config';
import { type Session, sessionFromToken } from './session';

type OidcConfig = Extract<AuthConfig, { kind: 'oidc' }>;

/** oidc-client-ts is loaded only when the hosted sign-in is configured: the local build's first load skips it. */
async function manager(config: OidcConfig) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    response_type: 'code', // authorization code; oidc-client-ts adds PKCE (S256) to it
    scope: config.scope,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

/** To the hosted UI; it comes back to redirectUri with ?code=…&state=…. */
export async function beginHostedSignIn(config: OidcConfig): Promise<void> {
  await (await manager(config)).signinRedirect({ state: location.pathname + location.search });
}

/** On redirectUri: trades the code (and the PKCE verifier) for tokens. Returns the session and where to go. */
export async function completeHostedSignIn(config: OidcConfig): Promise<{ session: Session; returnTo: string }> {
  const user = await (await manager(config)).signinRedirectCallback();
  const returnTo = typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
  return { session: sessionFromToken(user.access_token, user.profile.preferred_username ?? 'you'), returnTo };
}

export async function hostedSignOut(config: OidcConfig): Promise<void> {
  await (await manager(config)).removeUser();
  if (config.logoutUrl) {
    location.assign(config.logoutUrl);
  }
}
