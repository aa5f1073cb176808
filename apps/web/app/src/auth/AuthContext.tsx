import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { clearDraft } from '../form/draft';
import type { AuthConfig } from './config';
import { loadSession, requestDevToken, saveSession, type Session } from './session';

export interface Auth {
  config: AuthConfig;
  session: Session | undefined;
  /** Why the user is on the sign-in page again (an expired token), if that is why. */
  notice: string | undefined;
  /** Who was signed in when the session expired: the sign-in form starts with that name. */
  lastUsername: string | undefined;
  devSignIn: (username: string, admin: boolean) => Promise<void>;
  hostedSignIn: () => Promise<void>;
  completeSignIn: (session: Session) => void;
  signOut: () => Promise<void>;
  /** A 401: back to sign-in; the form's draft stays in sessionStorage. */
  expire: () => void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) {
    throw new Error('useAuth outside <AuthProvider>');
  }
  return auth;
}

export function AuthProvider({
  config,
  children,
  fetchFn,
}: {
  config: AuthConfig;
  children: ReactNode;
  fetchFn?: typeof fetch;
}) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [notice, setNotice] = useState<string | undefined>();
  const [lastUsername, setLastUsername] = useState<string | undefined>();

  const completeSignIn = useCallback((next: Session) => {
    saveSession(next);
    setNotice(undefined);
    setSession(next);
  }, []);

  const devSignIn = useCallback(
    async (username: string, admin: boolean) => {
      if (config.kind !== 'dev') {
        throw new Error('the dev sign-in is not configured');
      }
      completeSignIn(await requestDevToken(config.tokenUrl, username, admin, fetchFn));
    },
    [config, completeSignIn, fetchFn],
  );

  const hostedSignIn = useCallback(async () => {
    if (config.kind === 'oidc') {
      await (await import('./oidc')).beginHostedSignIn(config);
    }
  }, [config]);

  const signOut = useCallback(async () => {
    saveSession(undefined);
    clearDraft();
    setSession(undefined);
    setNotice(undefined);
    setLastUsername(undefined);
    if (config.kind === 'oidc') {
      await (await import('./oidc')).hostedSignOut(config);
    }
  }, [config]);

  const expire = useCallback(() => {
    saveSession(undefined);
    setSession((current) => {
      if (current) {
        setNotice('Your session has expired. Sign in again; your form is kept.');
        setLastUsername(current.username);
      }
      return undefined;
    });
  }, []);

  const value = useMemo(
    () => ({ config, session, notice, lastUsername, devSignIn, hostedSignIn, completeSignIn, signOut, expire }),
    [config, session, notice, lastUsername, devSignIn, hostedSignIn, completeSignIn, signOut, expire],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
