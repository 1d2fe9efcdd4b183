import type { ReactNode } from 'react';

export type SortOrder = 'asc' | 'desc';

/**
 * A column header that sorts its table: a button (so Tab and Enter or Space reach it), and
 * `aria-sort` on the header of the column the rows are sorted by, which screen readers announce
 * with the column. The arrow is decoration: the state is in `aria-sort` and the button's name.
 */
export function SortHeader({
  children,
  sorted,
  onSort,
}: {
  children: ReactNode;
  /** The order the rows are in by this column, or null when they are sorted by another. */
  sorted: SortOrder | null;
  onSort(): void;
}) {
  return (
    <th aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
      <button type="button" className="sort-header" onClick={onSort}>
        {children}
        <span aria-hidden="true" className="sort-arrow">
          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}
