import type { ReactNode } from 'react';
import { ErrorMessage } from '../ui/ErrorMessage';
import { LoadingLine } from '../ui/Loading';
import type { ListState } from './use-paged-list';

/**
 * A list's states in one place: the error, "Loading…", the empty text, or the rows (rendered by
 * `children`) followed by "Load more" while the API says there are more.
 */
export function ListView<T>({
  list,
  empty,
  children,
}: {
  list: ListState<T>;
  empty: string;
  children: (rows: T[]) => ReactNode;
}) {
  if (list.error) return <ErrorMessage error={list.error} />;
  if (list.rows === undefined) return <LoadingLine />;
  if (list.rows.length === 0) return <p className="muted empty">{empty}</p>;
  return (
    <>
      {children(list.rows)}
      <ErrorMessage error={list.moreError} />
      {list.hasMore ? (
        <div className="actions">
          <button type="button" onClick={list.loadMore} disabled={list.loadingMore || list.loading}>
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}
