import type { DataSource } from 'typeorm';
import { isUuid } from '@ledgerline/event-store';
import { customerMatch } from '../customers/customers.query';
import { type CustomerRef, type Page, type Paged, paged } from '../shared/paging';
import { type RowView, rowView } from '../shared/row-view';
import type { StripeMetadata } from '../shared/stripe-values';
import type { PostalAddress } from '@ledgerline/events';
import {
  type CancellationRequestView,
  type DiscountView,
  type SubscriptionItemView,
  subscriptionsColumns,
} from './subscriptions.table';
import { CATALOG_COUPON_COLUMN, CATALOG_COUPON_JOIN, discountWithCoupon } from './subscription-discount';

/** Stripe's eight statuses, and `pending`: recorded on the platform, not yet created in Stripe. */
export const SUBSCRIPTION_STATUSES = [
  'pending',
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface SubscriptionSearch {
  q?: string;
  status?: SubscriptionStatus;
}

export interface StatusChange {
  from: string | null;
  to: string;
  at: string;
  eventType: string;
  stripeEventId: string;
  storeEventId: string;
}

/** A subscription as it stands, with the platform customer it belongs to. */
export type SubscriptionView = RowView<
  typeof subscriptionsColumns,
  {
    items: SubscriptionItemView[] | null;
    discount: DiscountView | null;
    shippingAddress: PostalAddress | null;
    cancellationRequested: CancellationRequestView | null;
    metadata: StripeMetadata | null;
  }
> & {
  /** The platform customer's id: the one the subscription names, else the one its Stripe customer is linked to. */
  customerId: string | null;
  customer: { id: string; name: string | null; email: string | null } | null;
};

/** GET /subscriptions/:id?asOf=: the subscription as it stood, and what had replaced it by then. */
export type SubscriptionAsOfView = SubscriptionView & { replacedBy: string | null };

/** GET /subscriptions/:id: the subscription, what replaced it, and how its status changed. */
export type SubscriptionDetailView = SubscriptionView & {
  /** The subscription a plan change started in its place. */
  replacedBy: string | null;
  history: StatusChange[];
};

const CUSTOMER_COLUMNS = `c.id AS c_id, c.name AS c_name, c.email AS c_email`;
/**
 * The subscription's customer: the platform customer it names (known before Stripe has the
 * subscription or the customer is linked), else the customer a Stripe id is linked to. The Stripe
 * join is written in both forms, so the planner can use the index on either side.
 */
const CUSTOMER_JOIN = `(c.id = s.customer_id OR (s.customer_id IS NULL
  AND c.stripe_ids @> ARRAY[s.customer_stripe_id] AND s.customer_stripe_id = ANY(c.stripe_ids)))`;

/**
 * A subscription by platform id or Stripe id (`sub_...`), with its customer's platform id, the
 * subscription that replaced it (`replacedBy`, after a plan change) and its status history; null
 * when unknown.
 */
export async function findSubscription(dataSource: DataSource, id: string): Promise<SubscriptionDetailView | null> {
  const key = isUuid(id) ? id.toLowerCase() : id;
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT s.*, ${CUSTOMER_COLUMNS}, ${CATALOG_COUPON_COLUMN} FROM subscriptions s
       LEFT JOIN customers c ON ${CUSTOMER_JOIN}
       ${CATALOG_COUPON_JOIN}
      WHERE s.id = $1 OR s.stripe_id = $1 ORDER BY s.id = $1 DESC LIMIT 1`,
    [key],
  );
  const row = rows[0];
  if (!row) return null;
  const stripeId = row.stripe_id as string | null;
  // The subscription a plan change started in its place (it names this one in replaces_subscription_id).
  const replacements: { id: string }[] = await dataSource.query(
    `SELECT id FROM subscriptions WHERE replaces_subscription_id = $1 ORDER BY stripe_created NULLS LAST, id LIMIT 1`,
    [row.id],
  );
  return {
    ...subscriptionView(row),
    replacedBy: replacements[0]?.id ?? null,
    history: stripeId ? await statusHistory(dataSource, stripeId) : [],
  };
}

/**
 * Every status change of a Stripe subscription (by its `sub_` id) in event time order (`created`,
 * then recording order), each with the event that caused it. Read from the observations, so events
 * arriving late still land in their place.
 */
export async function statusHistory(dataSource: DataSource, stripeSubscriptionId: string): Promise<StatusChange[]> {
  const observations: {
    status: string | null;
    previous_status: string | null;
    event_created: string;
    event_type: string;
    stripe_event_id: string;
    store_event_id: string;
  }[] = await dataSource.query(
    `SELECT status, previous_status, event_created, event_type, stripe_event_id, store_event_id
       FROM subscription_observations WHERE subscription_id = $1 ORDER BY event_created, event_position`,
    [stripeSubscriptionId],
  );
  const changes: StatusChange[] = [];
  let current: string | null = null;
  for (const observation of observations) {
    if (!observation.status || observation.status === current) continue;
    changes.push({
      // Before the first event we hold, Stripe's previous_attributes still tell where it came from.
      from: current ?? observation.previous_status,
      to: observation.status,
      at: new Date(Number(observation.event_created) * 1000).toISOString(),
      eventType: observation.event_type,
      stripeEventId: observation.stripe_event_id,
      storeEventId: observation.store_event_id,
    });
    current = observation.status;
  }
  return changes;
}

/** Subscriptions whose customer matches `q` (name, email, phone, company, department), by status. */
export async function searchSubscriptions(
  dataSource: DataSource,
  search: SubscriptionSearch,
  page: Page,
): Promise<Paged<SubscriptionView>> {
  const { sql, params } = subscriptionSearchSql(search);
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(`${sql} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]),
    subscriptionView,
  );
}

/** The search as one SQL statement, ordered newest first (the CSV export streams it). */
export function subscriptionSearchSql(search: SubscriptionSearch): { sql: string; params: unknown[] } {
  const match = customerMatch(search.q, 'c');
  const params: unknown[] = [...match.params];
  const conditions = match.where ? [match.where.replace(/^WHERE /, '')] : [];
  if (search.status) {
    params.push(search.status);
    conditions.push(`s.status = $${params.length}`);
  }
  const join = match.where ? 'JOIN' : 'LEFT JOIN';
  return {
    sql: `SELECT s.*, ${CUSTOMER_COLUMNS}, ${CATALOG_COUPON_COLUMN} FROM subscriptions s
            ${join} customers c ON ${CUSTOMER_JOIN}
            ${CATALOG_COUPON_JOIN}
          ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY s.stripe_created DESC NULLS LAST, s.id`,
    params,
  };
}

export async function listCustomerSubscriptions(
  dataSource: DataSource,
  customer: CustomerRef,
  page: Page,
): Promise<Paged<SubscriptionView>> {
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(
        `SELECT s.*, ${CUSTOMER_COLUMNS}, ${CATALOG_COUPON_COLUMN} FROM subscriptions s
           LEFT JOIN customers c ON c.id = $1
           ${CATALOG_COUPON_JOIN}
          WHERE s.customer_stripe_id = ANY($2) OR s.customer_id = $1 ORDER BY s.stripe_created DESC NULLS LAST, s.id LIMIT $3 OFFSET $4`,
        [customer.id, customer.stripeIds, limit, offset],
      ),
    subscriptionView,
  );
}

export function subscriptionView(row: Record<string, unknown>): SubscriptionView {
  const { c_id, c_name, c_email, catalog_coupon, ...rest } = row;
  // jsonb as the projector writes it (subscriptions.table.ts).
  const view = rowView(rest, subscriptionsColumns) as SubscriptionView;
  const customerId = (c_id as string | null | undefined) ?? view.customerId ?? null;
  return {
    ...view,
    discount: discountWithCoupon(view.discount, view, (catalog_coupon as DiscountView['coupon'] | undefined) ?? null),
    customerId,
    customer: c_id
      ? { id: c_id as string, name: (c_name as string | null) ?? null, email: (c_email as string | null) ?? null }
      : null,
  };
}

/**
 * The search's rows one batch at a time through a server-side cursor, so an export of any size
 * streams with constant memory.
 */
export async function* streamSubscriptions(
  dataSource: DataSource,
  search: SubscriptionSearch,
  batchSize = 500,
): AsyncGenerator<SubscriptionView[]> {
  const { sql, params } = subscriptionSearchSql(search);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    await runner.query(`DECLARE subscriptions_export NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows: Record<string, unknown>[] = await runner.query(`FETCH ${batchSize} FROM subscriptions_export`);
      if (!rows.length) break;
      yield rows.map(subscriptionView);
    }
    await runner.commitTransaction();
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}
