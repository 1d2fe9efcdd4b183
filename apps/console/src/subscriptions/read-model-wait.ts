import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { Subscription } from './subscription-types';

/**
 * Commands answer once their events are stored; the read models (projectors in the api process)
 * catch up a moment later. These helpers bridge that moment instead of showing stale data.
 */
const POLL_MS = 300;
export const CATCH_UP_MS = 8_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * `load`, retried while it answers 404 for up to `timeoutMs`: a subscription opened right after it
 * was started (or replaced by a plan change) is not in the read model for a moment.
 */
export async function retryWhileNotFound<T>(
  load: () => Promise<T>,
  signal: AbortSignal,
  timeoutMs = CATCH_UP_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await load();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404 || Date.now() > deadline) throw error;
      await sleep(POLL_MS, signal);
    }
  }
}

/**
 * Polls the subscription until `until` holds (the command's change is visible); false when it
 * did not within `timeoutMs` (the page then says the change is on its way).
 */
export async function waitForSubscription(
  api: ApiClient,
  id: string,
  until: (subscription: Subscription) => boolean,
  timeoutMs = CATCH_UP_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (until(await api.get<Subscription>(`/subscriptions/${encodeURIComponent(id)}`))) return true;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
}

export const STILL_CATCHING_UP = 'It will show here once the read model has caught up (reload in a moment).';
