import Stripe from 'stripe';

export interface StripeClientOptions {
  apiKey: string;
  /** A Stripe-compatible server (tests, simulators); null: Stripe itself. */
  apiBase: string | null;
  timeoutMs?: number;
  /**
   * The SDK's own retries. Default 0, and it must stay 0 for a client whose calls go through
   * `withStripeRetries` (the outbound sync, the backfill). Only for callers that do not (a one-off
   * listing in `ledgerline stripe-endpoint`, a reconciliation's balance listing).
   */
  maxNetworkRetries?: number;
}

/**
 * The SDK client for outbound calls. The SDK's own retries are off by default (`maxNetworkRetries:
 * 0`) because Ledgerline retries every call itself, through one policy (`withStripeRetries`,
 * decision 0020). Retries in the SDK underneath would retry twice over: up to maxAttempts x
 * (1 + maxNetworkRetries) requests per call, attempts our records never see (StripeSyncFailed's
 * `attempts`, a backfill's retry counts), the SDK's half jitter instead of full jitter, and waits
 * the abort signal cannot cut short. One retry the SDK makes whatever this says: a connection
 * closed (ECONNRESET, EPIPE) on the first try is sent once more at once (stripe-node's
 * `_shouldRetry`), with the same headers, so with the same Idempotency-Key: Stripe acts once.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : null;
  return new Stripe(options.apiKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    timeout: options.timeoutMs ?? 30_000,
    appInfo: { name: 'Ledgerline' },
    ...(base
      ? {
          host: base.hostname,
          port: base.port ? Number(base.port) : base.protocol === 'https:' ? 443 : 80,
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
