import { type FormEvent, useState } from 'react';
import { useAuth } from '../auth/AuthContext';

export function SignIn() {
  const auth = useAuth();
  const [username, setUsername] = useState(auth.lastUsername ?? '');
  const [admin, setAdmin] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await (auth.config.kind === 'dev' ? auth.devSignIn(username.trim(), admin) : auth.hostedSignIn());
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in card">
      <h1>imggen</h1>
      <p className="muted">Describe an image; a GPU renders it.</p>
      {auth.notice && (
        <p className="notice" role="status">
          {auth.notice}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        {auth.config.kind === 'dev' ? (
          <>
            <div className="field">
              <label htmlFor="username">User name</label>
              <input
                id="username"
                autoComplete="username"
                required
                pattern="[A-Za-z0-9._@\-]+"
                value={username}
                onChange={(event) => setUsername(event.target.value)}
              />
              <small className="muted">Local sign-in: any name; the dev identity provider signs a token for it.</small>
            </div>
            <label className="check">
              <input type="checkbox" checked={admin} onChange={(event) => setAdmin(event.target.checked)} />{' '}
              Administrator
            </label>
          </>
        ) : (
          <p>You will sign in on the imggen sign-in page and come back here.</p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
