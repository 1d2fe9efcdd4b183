import type { DataSource } from 'typeorm';

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
 * The most matches a list counts. Counting every match of millions of rows would cost more than
 * the page itself; past the cap, "10,000+" is all support needs to know.
 */
export const COUNT_CAP = 10_000;

/** A page of a list that also counts its matches. */
export interface PagedWithTotal<T> extends Paged<T> {
  /** How many rows match: exact up to the cap, else the cap. */
  total: number;
  /** True when more rows match than the cap: `total` is then a lower bound. */
  totalCapped: boolean;
}

/** Part of a statement and its parameters (`$1`...). */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

export type SortOrder = 'asc' | 'desc';
export const SORT_ORDERS: readonly SortOrder[] = ['asc', 'desc'];

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

/**
 * `paged`, with the number of matches: `matching` is the list's `FROM ... WHERE ...`, counted up to
 * `cap` + 1 rows (so the count stops early on a large list). A page that is the last one already
 * tells the total, and nothing more is asked.
 */
export async function pagedWithTotal<R, T>(
  dataSource: DataSource,
  page: Page,
  matching: SqlPart,
  fetch: (limit: number, offset: number) => Promise<R[]>,
  toView: (row: R) => T,
  cap = COUNT_CAP,
): Promise<PagedWithTotal<T>> {
  const answer = await paged(page, fetch, toView);
  if (!answer.hasMore && (answer.data.length > 0 || page.offset === 0)) {
    const total = page.offset + answer.data.length;
    return { ...answer, total: Math.min(total, cap), totalCapped: total > cap };
  }
  const [row] = (await dataSource.query(
    `SELECT count(*)::int AS matches FROM (SELECT 1 ${matching.sql} LIMIT $${matching.params.length + 1}) AS counted`,
    [...matching.params, cap + 1],
  )) as { matches: number }[];
  const matches = row?.matches ?? 0;
  return { ...answer, total: Math.min(matches, cap), totalCapped: matches > cap };
}

/** A customer record as the tab queries need it: its platform id and every linked Stripe id. */
export interface CustomerRef {
  id: string;
  stripeIds: string[];
}
