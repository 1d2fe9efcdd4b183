import type { DataSource } from 'typeorm';
import { COUNT_CAP, type Page, type PagedWithTotal, pagedWithTotal, type SortOrder } from '../shared/paging';
import type { SubscriptionStatus } from '../subscriptions/subscriptions.query';
import { NAME_INDEX_PREFIX } from './customer-name-index.migration';
import { customerMatch, type CustomerView, customerView } from './customers.query';

export const CUSTOMER_SORTS = ['name', 'email', 'created', 'balance'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** GET /customers: the search text, the filters and the order. */
export interface CustomerSearch {
  q?: string;
  /** Default `name`; ties are broken by id, so pages neither repeat nor skip a customer. */
  sort?: CustomerSort;
  /** Default `asc`. Customers without the value come last either way. */
  order?: SortOrder;
  /** `false` includes the customers Stripe has said nothing about yet (not created there). */
  delinquent?: boolean;
  /** Customers with at least one subscription in this status. */
  subscriptionStatus?: SubscriptionStatus;
}

/**
 * What each sort orders by, before the id. Names by their first NAME_INDEX_PREFIX characters, which
 * the name indexes hold (both directions read an index, not every row), then by the whole name.
 */
const SORT_KEYS: Record<CustomerSort, string[]> = {
  name: [`left(c.name, ${NAME_INDEX_PREFIX})`, 'c.name'],
  email: ['c.email'],
  created: ['c.stripe_created'],
  balance: ['c.balance'],
};

/** Limits of the list's work; tests lower them to cross them with a few rows. */
export interface CustomerListLimits {
  /** The most matches counted (COUNT_CAP). */
  countCap?: number;
  /**
   * Up to this many subscriptions in a status, their customers are looked up first and the list
   * reads those by id. Checking customer after customer for such a subscription would read every
   * customer when few have one: 19 s for 40 paused subscriptions among a million customers.
   */
  fewSubscriptions?: number;
}

/**
 * Customers matching the search text (customerMatch: every word, any order, folded; or an id),
 * the filters, in the order asked for. Without `q`, every customer. Deleted customers are left out
 * (they stay readable by id). With the number of matches.
 */
export async function searchCustomers(
  dataSource: DataSource,
  search: CustomerSearch,
  page: Page,
  { countCap = COUNT_CAP, fewSubscriptions = 10_000 }: CustomerListLimits = {},
): Promise<PagedWithTotal<CustomerView>> {
  const match = customerMatch(search.q, 'c');
  const params: unknown[] = [...match.params];
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions = [match.where.replace(/^WHERE /, ''), 'NOT c.deleted'].filter(Boolean);
  if (search.delinquent !== undefined) conditions.push(search.delinquent ? 'c.delinquent' : 'c.delinquent IS NOT TRUE');
  if (search.subscriptionStatus) {
    conditions.push(await withSubscriptionIn(dataSource, search.subscriptionStatus, fewSubscriptions, param));
  }
  const matching = { sql: `FROM customers c WHERE ${conditions.join(' AND ')}`, params };
  const direction = search.order === 'desc' ? 'DESC' : 'ASC';
  const keys = SORT_KEYS[search.sort ?? 'name'].map((key) => `${key} ${direction} NULLS LAST`);
  return pagedWithTotal(
    dataSource,
    page,
    matching,
    (limit, offset) =>
      dataSource.query(
        `SELECT * ${matching.sql} ORDER BY ${[...keys, `c.id ${direction}`].join(', ')}
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      ),
    customerView,
    countCap,
  );
}

/**
 * The condition "has a subscription in `status`". A subscription is the customer's as the
 * subscription queries say (CUSTOMER_JOIN): the platform customer it names, else the customer its
 * Stripe customer is linked to.
 */
async function withSubscriptionIn(
  dataSource: DataSource,
  status: SubscriptionStatus,
  fewSubscriptions: number,
  param: (value: unknown) => string,
): Promise<string> {
  const subscriptions: { customer_id: string | null; customer_stripe_id: string | null }[] = await dataSource.query(
    `SELECT customer_id, customer_stripe_id FROM subscriptions WHERE status = $1 LIMIT $2`,
    [status, fewSubscriptions + 1],
  );
  if (subscriptions.length > fewSubscriptions) {
    // A common status: read in the list's order, a page's worth of customers is found soon.
    return `EXISTS (SELECT 1 FROM subscriptions s WHERE s.status = ${param(status)}
      AND (s.customer_id = c.id OR (s.customer_id IS NULL AND s.customer_stripe_id = ANY(c.stripe_ids))))`;
  }
  const named = subscriptions.flatMap((s) => (s.customer_id ? [s.customer_id] : []));
  const stripeIds = subscriptions.flatMap((s) =>
    !s.customer_id && s.customer_stripe_id ? [s.customer_stripe_id] : [],
  );
  // One index lookup per Stripe id: an array compared with every row's stripe_ids reads them all.
  const linked: { id: string }[] = await dataSource.query(
    `SELECT c.id FROM unnest($1::text[]) AS linked(stripe_id) JOIN customers c ON c.stripe_ids @> ARRAY[linked.stripe_id]`,
    [stripeIds],
  );
  const ids = new Set([...named, ...linked.map((row) => row.id)]);
  return `c.id = ANY(${param([...ids])}::text[])`;
}
