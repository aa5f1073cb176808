import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from './api/client';
import { ApiProvider } from './api/ApiContext';
import { AuthProvider, useAuth } from './auth/AuthContext';
import type { RuntimeConfig } from './auth/config';
import { SignIn } from './components/SignIn';
import { NewImageForm } from './form/NewImageForm';
import { Gallery } from './jobs/Gallery';
import { JobDetail } from './jobs/JobDetail';
import { JobList } from './jobs/JobList';
import { LiveIndicator, LiveUpdates } from './live/LiveUpdates';
import { Link, matchRoute, navigate, usePathname } from './router';
import { UsagePage } from './usage/UsagePage';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers do not get better by asking again; 5xx and network failures get two more tries
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}

function HostedCallback() {
  const auth = useAuth();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (auth.config.kind !== 'oidc') {
      navigate('/', { replace: true });
      return;
    }
    const config = auth.config;
    import('./auth/oidc')
      .then(({ completeHostedSignIn }) => completeHostedSignIn(config))
      .then(({ session, returnTo }) => {
        auth.completeSignIn(session);
        navigate(returnTo, { replace: true });
      })
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
    // once per visit of the callback URL
  }, []);
  return error ? (
    <main className="card error" role="alert">
      Sign-in failed: {error} <Link href="/">Start again</Link>
    </main>
  ) : (
    <p role="status">Signing in…</p>
  );
}

function Shell({ apiBase }: { apiBase: string }) {
  const auth = useAuth();
  const pathname = usePathname();
  const route = matchRoute(pathname);
  if (route.name === 'callback') {
    return <HostedCallback />;
  }
  if (!auth.session) {
    return <SignIn />;
  }
  const nav = [
    ['/', 'New image'],
    ['/gallery', 'Gallery'],
    ['/usage', 'Usage'],
  ] as const;
  return (
    <LiveUpdates>
      <header className="top">
        <Link href="/" className="brand">
          imggen
        </Link>
        <nav aria-label="Main">
          {nav.map(([href, label]) => (
            <Link key={href} href={href} aria-current={pathname === href ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <LiveIndicator />
        <span className="who">
          {auth.session.username}
          {auth.session.admin && <span className="badge">admin</span>}
        </span>
        <button type="button" className="link" onClick={() => void auth.signOut()}>
          Sign out
        </button>
      </header>
      <main className="content">
        {route.name === 'create' && (
          <>
            <NewImageForm />
            <JobList />
          </>
        )}
        {route.name === 'gallery' && <Gallery />}
        {route.name === 'job' && <JobDetail jobId={route.jobId} apiBase={apiBase} />}
        {route.name === 'usage' && <UsagePage admin={auth.session.admin} />}
        {route.name === 'not-found' && (
          <p>
            Nothing here. <Link href="/">Back to the start</Link>
          </p>
        )}
      </main>
    </LiveUpdates>
  );
}

export function App({
  config,
  queryClient = createQueryClient(),
}: {
  config: RuntimeConfig;
  queryClient?: QueryClient;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider config={config.auth}>
        <ApiProvider baseUrl={config.apiUrl}>
          <Shell apiBase={config.apiUrl} />
        </ApiProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
