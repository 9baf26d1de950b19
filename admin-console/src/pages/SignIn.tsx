import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/client';
import { useSession } from '../auth/session';

/** Why a token was refused, in the admin's words. */
function refusal(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return 'This token was refused: it is unknown, expired or revoked.';
    }
    if (error.status === 403) {
      return 'This token is not an admin token: the console needs the admin scope of this org.';
    }
  }
  return describeError(error);
}

export function SignIn() {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token.trim()) {
      setError('Enter your admin token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
    } catch (e) {
      setError(refusal(e));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>GridLedger admin console</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="token">Admin token</label>
        <input id="token" name="token" type="password" autoComplete="off" value={token}
               onChange={(e) => setToken(e.target.value)} aria-invalid={error ? true : undefined} />
        <p className="hint">An API token with the admin scope (glt_…). It is kept for this browser tab only.</p>
        <button type="submit" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
        {error && <p id="sign-in-error" role="alert" className="error">{error}</p>}
      </form>
    </main>
  );
}
