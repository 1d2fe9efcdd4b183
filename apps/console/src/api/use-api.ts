import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../session/session';
import type { ApiClient } from './api-client';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Loads what `load` returns and reloads when `deps` change. A response that arrives after a newer
 * request started is dropped, so typing fast into a search never shows an older answer last.
 */
export function useApi<T>(
  load: ((api: ApiClient, signal: AbortSignal) => Promise<T>) | null,
  deps: unknown[],
): Loaded<T> {
  const { api } = useSession();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: load !== null,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (!load || !api) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, [api, generation, ...deps]);

  return { ...state, reload };
}
