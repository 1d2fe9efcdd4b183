import { useState } from 'react';
import type { ListTotal, Paged } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { useApiClient } from '../session/session';

/** Rows of a list endpoint, as many pages as were asked for so far. */
export interface ListState<T> {
  rows: T[] | undefined;
  error: unknown;
  /** A first page is being (re)loaded; the rows shown are those of the previous one. */
  loading: boolean;
  /** How many rows match, on lists that count them. */
  total: ListTotal | undefined;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: unknown;
  loadMore(): void;
  reload(): void;
}

type Query = Record<string, string | undefined>;

interface Extra<T> {
  /** The first page these rows follow: when it is reloaded, they are dropped. */
  after: Paged<T>;
  rows: T[];
  hasMore: boolean;
  loading: boolean;
  error: unknown;
}

/**
 * A paged list (`?limit=&offset=`) with "Load more": the first page through useApi (reloaded when
 * the path or query change), later pages appended. `keyOf` drops a row already shown, which offset
 * paging repeats when rows arrive at the top meanwhile (activity is newest first).
 */
export function usePagedList<T>(path: string, query: Query = {}, pageSize = 25, keyOf?: (row: T) => string) {
  const api = useApiClient();
  const queryKey = JSON.stringify(query);
  const first = useApi(
    (client, signal) =>
      client.get<Paged<T> & Partial<ListTotal>>(path, { query: { ...query, limit: pageSize }, signal }),
    [path, queryKey, pageSize],
  );
  const [extra, setExtra] = useState<Extra<T> | null>(null);
  const base = first.data;
  const more = extra && extra.after === base ? extra : null;

  const loadMore = async () => {
    if (!base || more?.loading || !(more ? more.hasMore : base.hasMore)) return;
    const shown = more?.rows ?? [];
    setExtra({ after: base, rows: shown, hasMore: true, loading: true, error: undefined });
    try {
      const offset = base.data.length + shown.length;
      const page = await api.get<Paged<T>>(path, { query: { ...query, limit: pageSize, offset } });
      const seen = new Set(keyOf ? [...base.data, ...shown].map(keyOf) : []);
      const fresh = keyOf ? page.data.filter((row) => !seen.has(keyOf(row))) : page.data;
      setExtra((now) =>
        now?.after === base
          ? { after: base, rows: [...shown, ...fresh], hasMore: page.hasMore, loading: false, error: undefined }
          : now,
      );
    } catch (error) {
      setExtra((now) => (now?.after === base ? { ...now, loading: false, error } : now));
    }
  };

  return {
    rows: base ? [...base.data, ...(more?.rows ?? [])] : undefined,
    error: first.error,
    loading: first.loading,
    total: base?.total === undefined ? undefined : { total: base.total, totalCapped: base.totalCapped ?? false },
    hasMore: more ? more.hasMore : (base?.hasMore ?? false),
    loadingMore: more?.loading ?? false,
    moreError: more?.error,
    loadMore: () => void loadMore(),
    reload: first.reload,
  } satisfies ListState<T>;
}

/** A list endpoint that answers everything at once (`{ data }`), in the same shape. */
export function useWholeList<T>(path: string): ListState<T> {
  const list = useApi((client, signal) => client.get<{ data: T[] }>(path, { signal }), [path]);
  return {
    rows: list.data?.data,
    error: list.error,
    loading: list.loading,
    total: undefined,
    hasMore: false,
    loadingMore: false,
    moreError: undefined,
    loadMore: () => undefined,
    reload: list.reload,
  };
}
