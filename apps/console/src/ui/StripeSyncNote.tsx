import type { RecordStripeSync } from '../api/api-shapes';

/**
 * Where a command stands with Stripe, in words (the API's `stripeSync`): paused and why, waiting,
 * failed and why, or how many attempts a failure took. Null when nothing waits or failed.
 */
export function stripeSyncText(sync: RecordStripeSync | null | undefined): string | null {
  if (!sync) return null;
  switch (sync.state) {
    case 'paused':
      return `Waiting: ${sync.reason ?? 'the outbound sync to Stripe is paused'}. It is sent once the sync runs.`;
    case 'pending':
      return 'Waiting for Stripe to confirm; this page refreshes itself.';
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
