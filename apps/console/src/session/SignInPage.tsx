import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ErrorMessage } from '../ui/ErrorMessage';
import { homeOf } from './capabilities';
import { useSession } from './session';

export function SignInPage() {
  const { principal, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // The page a lapsed key was on (RequireRole hands it over): signing in again returns there, where
  // an unsaved form finds its draft again.
  const wanted = (location.state as { from?: string } | null)?.from;
  if (principal) return <Navigate to={wanted ?? homeOf(principal.role)} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const signedIn = await signIn(apiKey);
      navigate(wanted ?? homeOf(signedIn.role), { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-label="Sign in">
        <h1>Ledgerline console</h1>
        <p className="muted">Sign in with your API key. It is kept for this browser tab only.</p>
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            required
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
        </label>
        <ErrorMessage error={error} offerSignIn={false} />
        <button type="submit" disabled={busy || apiKey.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
