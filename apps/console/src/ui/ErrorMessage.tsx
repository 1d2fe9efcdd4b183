import { ApiError } from '../api/api-error';
import { useSession } from '../session/session';

/** Shows an API refusal as the API worded it: every message, each on its own line. */
export function ErrorMessage({ error, offerSignIn = true }: { error: unknown; offerSignIn?: boolean }) {
  const { signOut } = useSession();
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError) {
    return (
      <div role="alert" className="error">
        <strong>{titleOf(error.status)}</strong>
        <ul>
          {error.messages.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
        {error.status === 401 && offerSignIn ? (
          <button type="button" onClick={signOut}>
            Sign in again
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div role="alert" className="error">
      <strong>Something went wrong</strong>
      <ul>
        <li>{error instanceof Error ? error.message : String(error)}</li>
      </ul>
    </div>
  );
}

function titleOf(status: number): string {
  if (status === 400) return 'Please correct the following';
  if (status === 401) return 'Your API key was not accepted';
  if (status === 403) return 'Not allowed for your role';
  if (status === 404) return 'Not found';
  if (status === 409) return 'Not possible in the current state';
  if (status === 422) return 'Request refused';
  if (status === 503) return 'Not available right now';
  return `Request failed (${status})`;
}

/** The API's 400 messages that concern one field (they start with its path, e.g. `address.country`). */
export function fieldMessages(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  return error.messages.filter(
    (message) => message === field || message.startsWith(`${field} `) || message.startsWith(`${field}.`),
  );
}
