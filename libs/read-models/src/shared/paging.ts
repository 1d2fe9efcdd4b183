/** Offset paging, the same on every list endpoint: `?limit=` (1..200, default 50) and `?offset=`. */
export interface Page {
  limit: number;
  offset: number;
}

export interface Paged<T> {
  data: T[];
  limit: number;
  offset: number;
  /** True when rows exist past this page. */
  hasMore: boolean;
}

/**
 * Runs a query for one row more than the page holds, to tell whether there is a next page without
 * counting every match. `fetch` receives the LIMIT and OFFSET to use.
 */
export async function paged<R, T>(
  page: Page,
  fetch: (limit: number, offset: number) => Promise<R[]>,
  toView: (row: R) => T,
): Promise<Paged<T>> {
  const rows = await fetch(page.limit + 1, page.offset);
  return {
    data: rows.slice(0, page.limit).map(toView),
    limit: page.limit,
    offset: page.offset,
    hasMore: rows.length > page.limit,
  };
}

/** A customer record as the tab queries need it: its platform id and every linked Stripe id. */
export interface CustomerRef {
  id: string;
  stripeIds: string[];
}
