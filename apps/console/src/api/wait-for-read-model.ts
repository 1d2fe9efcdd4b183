import { ApiError } from './api-error';

/**
 * Commands answer once their events are stored; the read models (projectors in the api process)
 * catch up a moment later. These helpers bridge that moment instead of showing stale data: while
 * it lasts, a 404 means "not there yet", so only a 404 is asked again.
 */
export const CATCH_UP_MS = 8_000;

export interface Polling {
  /** How long to keep asking. */
  timeoutMs?: number;
  /** How long to pause between two questions. */
  pollMs?: number;
}

/**
 * `load`, asked again while it answers 404 until `timeoutMs` has passed: a record opened right
 * after the command that made it is not in the read model for a moment.
 */
export async function retryWhileNotFound<T>(
  load: () => Promise<T>,
  signal: AbortSignal,
  { timeoutMs = CATCH_UP_MS, pollMs = 300 }: Polling = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await load();
    } catch (error) {
      if (!isNotFound(error) || Date.now() >= deadline) throw error;
      await pause(pollMs, signal);
    }
  }
}

/**
 * Asks `load` until `shows` holds for its answer (the command's change is visible): false when it
 * did not within `timeoutMs`, the command being done either way (the page then says the change is
 * on its way). Errors other than 404 are thrown.
 */
export async function waitForReadModel<T>(
  load: () => Promise<T>,
  shows: (answer: T) => boolean,
  { timeoutMs = CATCH_UP_MS, pollMs = 300 }: Polling = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (shows(await load())) return true;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (Date.now() >= deadline) return false;
    await pause(pollMs);
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
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
