import type { Paged } from '../api/api-shapes';

/** The buttons to the page before and after of an offset-paged list; nothing when one page holds it all. */
export function OffsetPager({
  label,
  offset,
  page,
  pageSize,
  onOffset,
  previous = 'Previous',
  next = 'Next',
  showRange = false,
}: {
  /** The navigation's accessible name. */
  label: string;
  /** The offset asked for (the page shown may still be the previous one's answer). */
  offset: number;
  page: Paged<unknown>;
  pageSize: number;
  onOffset(offset: number): void;
  previous?: string;
  next?: string;
  /** Shows which rows this page holds (`26–50`) between the buttons. */
  showRange?: boolean;
}) {
  if (offset === 0 && !page.hasMore) return null;
  return (
    <nav className="actions" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        {previous}
      </button>
      {showRange ? (
        <span className="muted">
          {offset + 1}–{offset + page.data.length}
        </span>
      ) : null}
      <button type="button" disabled={!page.hasMore} onClick={() => onOffset(offset + pageSize)}>
        {next}
      </button>
    </nav>
  );
}
