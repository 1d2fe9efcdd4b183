import { useEffect } from 'react';
import type { Loaded } from '../api/use-api';

/**
 * Reloads `loaded` every `ms` while `active` (a run is working), and stops once it is not: each
 * answer restarts the timer, so a slow API never has two requests in flight, and leaving the page
 * clears it.
 */
export function useRefreshWhile(active: boolean, loaded: Loaded<unknown>, ms = 1_500): void {
  const { data, reload } = loaded;
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(reload, ms);
    return () => clearTimeout(timer);
  }, [active, data, reload, ms]);
}
