import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { useApiClient } from '../session/session';

export interface Polled<T> {
  data: T | undefined;
  /** The last refresh's failure; `data` still holds what the refresh before it loaded. */
  error: unknown;
  /** When `data` was loaded (ms since the epoch). */
  updatedAt: number | undefined;
  /** Loads now (after an action), then goes on polling from there. */
  refresh(): void;
}

/**
 * Loads `load` now and again `intervalMs` after each answer, until the component unmounts. The next
 * request is only scheduled once the previous one has answered, so a slow API never has requests
 * piling up; a hidden tab skips its turns. A failed refresh keeps the last data on screen (an
 * operator watching a table should not lose it to one dropped request) and reports the error.
 */
export function usePolling<T>(
  load: (api: ApiClient, signal: AbortSignal) => Promise<T>,
  /** A number, or one chosen from what was just loaded (e.g. faster while something runs). */
  intervalMs: number | ((data: T | undefined) => number),
): Polled<T> {
  const api = useApiClient();
  const [state, setState] = useState<Omit<Polled<T>, 'refresh'>>({
    data: undefined,
    error: undefined,
    updatedAt: undefined,
  });
  const [generation, setGeneration] = useState(0);
  // The latest load and interval, read when a turn comes, so changing them never restarts the loop.
  const latest = useRef({ load, intervalMs });
  useEffect(() => {
    latest.current = { load, intervalMs };
  });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let data: T | undefined;
    const turn = async () => {
      if (!document.hidden) {
        try {
          data = await latest.current.load(api, controller.signal);
          if (controller.signal.aborted) return;
          setState({ data, error: undefined, updatedAt: Date.now() });
        } catch (error) {
          if (controller.signal.aborted) return;
          setState((previous) => ({ ...previous, error }));
        }
      }
      const { intervalMs: interval } = latest.current;
      timer = setTimeout(() => void turn(), typeof interval === 'function' ? interval(data) : interval);
    };
    void turn();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, refresh };
}
