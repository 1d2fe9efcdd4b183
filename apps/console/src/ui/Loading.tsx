import type { ReactNode } from 'react';
import type { Loaded } from '../api/use-api';
import { ErrorMessage } from './ErrorMessage';

/** Renders `children(data)` once loaded; the error or a loading line otherwise. */
export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.error) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <LoadingLine />;
  return <>{children(loaded.data)}</>;
}

/** What stands in for data not here yet. */
export function LoadingLine() {
  return (
    <p className="muted" aria-busy="true">
      Loading…
    </p>
  );
}
