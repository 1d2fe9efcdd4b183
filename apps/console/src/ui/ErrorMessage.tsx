import { useEffect, useRef } from 'react';
import { ApiError } from '../api/api-error';
import { humanMessage } from './api-messages';
import { useSession } from '../session/session';

/**
 * Shows an API refusal as the API worded it: every message, each on its own line. Inside a form
 * (a submit refused), a new error moves the focus to the form's first invalid field, or to this
 * summary when no field is marked, so a keyboard or screen reader user lands on what to correct.
 */
export function ErrorMessage({
  error,
  offerSignIn = true,
  onRetry,
}: {
  error: unknown;
  offerSignIn?: boolean;
  /** Offered as "Retry" when the request may succeed when asked again (the API unreachable, a 5xx). */
  onRetry?: () => void;
}) {
  const { signOut } = useSession();
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = summary.current;
    const form = element?.closest('form');
    if (!element || !form || error === null || error === undefined) return;
    // A refusal of what was submitted, not a failure to load (a sign-in, a list of choices).
    if (error instanceof ApiError && ![400, 409, 422].includes(error.status)) return;
    (form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? element).focus();
  }, [error]);
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError) {
    return (
      <div role="alert" className="error" ref={summary} tabIndex={-1}>
        <strong>{titleOf(error.status)}</strong>
        <ul>
          {error.messages.map((message, index) => (
            <li key={index}>{humanMessage(message)}</li>
          ))}
        </ul>
        {error.status === 401 && offerSignIn ? (
          <button type="button" onClick={signOut}>
            Sign in again
          </button>
        ) : null}
        {onRetry && error.status >= 500 ? <RetryButton onRetry={onRetry} /> : null}
      </div>
    );
  }
  // fetch() rejects with a TypeError ("Failed to fetch") when the API cannot be reached at all.
  const unreachable = error instanceof TypeError;
  return (
    <div role="alert" className="error" ref={summary} tabIndex={-1}>
      <strong>{unreachable ? 'The Ledgerline API cannot be reached' : 'Something went wrong'}</strong>
      <ul>
        <li>
          {unreachable
            ? 'The server is down or the network is interrupted. Nothing you typed is lost: try again in a moment.'
            : error instanceof Error
              ? error.message
              : String(error)}
        </li>
      </ul>
      {onRetry ? <RetryButton onRetry={onRetry} /> : null}
    </div>
  );
}

function RetryButton({ onRetry }: { onRetry: () => void }) {
  return (
    <button type="button" onClick={onRetry}>
      Retry
    </button>
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
