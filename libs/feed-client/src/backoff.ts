import { FeedHttpError } from './errors';

export interface BackoffOptions {
  /** Delay after the first failure. Default 500 ms; it doubles with each failure in a row. */
  initialMs?: number;
  /** The longest delay. Default 30 s. */
  maxMs?: number;
}

/**
 * The delay before the next attempt after `failures` failures in a row: exponential, capped, with
 * "equal jitter" (half fixed, half random) so a fleet that lost the same server does not come back
 * in lockstep. A server's Retry-After is honoured when it asks for longer.
 */
export function backoffDelay(failures: number, options: BackoffOptions = {}, error?: unknown): number {
  const { initialMs = 500, maxMs = 30_000 } = options;
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
  const asked = error instanceof FeedHttpError ? (error.retryAfterMs ?? 0) : 0;
  return Math.round(Math.max(delay, Math.min(asked, maxMs)));
}

/** Waits `ms`, or less if `signal` aborts (stopping must not wait out a 30 s backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
