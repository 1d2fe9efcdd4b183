import type { RecordStripeSync } from '../api/api-shapes';

/**
 * A retry the outbound sync waits out, in words: "Retrying (attempt 3) · 429 rate limit · next try
 * in 2 s". The countdown is as of the render: the pages showing it refresh while it lasts.
 */
export function retryText(attempt: number, reason: string | null, nextAttemptAt: string | null): string {
  const seconds = nextAttemptAt ? Math.ceil((Date.parse(nextAttemptAt) - Date.now()) / 1000) : null;
  const next = seconds === null ? null : seconds > 0 ? `next try in ${seconds} s` : 'trying again now';
  return [`Retrying (attempt ${attempt})`, reason, next].filter(Boolean).join(' · ');
}

/** Whether the command is still on its way to Stripe (pending or being retried): a page showing it refreshes. */
export function awaitingStripeSync(sync: RecordStripeSync | null | undefined): boolean {
  return sync?.state === 'pending' || sync?.state === 'retrying';
}

/**
 * Where a command stands with Stripe, in words (the API's `stripeSync`): paused and why, waiting,
 * being retried and why, failed and why, or how many attempts a failure took. Null when synced.
 */
export function stripeSyncText(sync: RecordStripeSync | null | undefined): string | null {
  if (!sync) return null;
  switch (sync.state) {
    case 'paused':
      return `Waiting: ${sync.reason ?? 'the outbound sync to Stripe is paused'}. It is sent once the sync runs.`;
    case 'pending':
      return 'Waiting for Stripe to confirm; this page refreshes itself.';
    case 'retrying':
      return `${retryText(sync.attempts, sync.reason, sync.nextAttemptAt)}.`;
    case 'failed': {
      const attempts = sync.attempts > 1 ? ` (after ${sync.attempts} attempts)` : '';
      return `Stripe sync failed: ${sync.reason ?? 'no reason given'}${attempts}.`;
    }
    default:
      return null;
  }
}

/** The sentence above, as a polite live note (a warning when paused or failed). */
export function StripeSyncNote({ sync }: { sync: RecordStripeSync | null | undefined }) {
  const text = stripeSyncText(sync);
  if (!text) return null;
  const problem = sync?.state === 'failed' || sync?.state === 'paused';
  return (
    <p className={problem ? 'field-error' : 'muted'} aria-live="polite" data-testid="stripe-sync">
      {text}
    </p>
  );
}
