import Stripe from 'stripe';

export interface StripeClientOptions {
  apiKey: string;
  /** A Stripe-compatible server (tests, simulators); null: Stripe itself. */
  apiBase: string | null;
  timeoutMs?: number;
  /** The SDK's own retries: only for reads (listing), where retrying twice over does no harm. Default 0. */
  maxNetworkRetries?: number;
}

/**
 * The SDK client for outbound calls. The SDK's own retries are off by default: the process manager
 * retries with its own backoff and records every attempt, so a call is never retried twice over.
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
