import { useEffect, useRef } from 'react';
import type { Loaded } from './use-api';

const POLL_MS = 3_000;
const MAX_POLLS = 100;

/**
 * Reloads `loaded` every few seconds while `waiting` (a command on its way to Stripe), for a while
 * only: should the sync never answer, the Operations page says why, not an endless spinner here.
 */
export function useRefreshWhile(waiting: boolean, loaded: Pick<Loaded<unknown>, 'loading' | 'reload'>): void {
  const polls = useRef(0);
  const { loading, reload } = loaded;
  useEffect(() => {
    if (!waiting || loading || polls.current >= MAX_POLLS) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      reload();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, loading, reload]);
}
