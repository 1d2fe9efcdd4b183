import type { DataSource } from 'typeorm';
import { ENTITLING_STATUSES } from '@ledgerline/events';
import { paged, type Page, type Paged } from '../shared/paging';

/** A Stripe product in its account (null: the platform's own account). */
export interface StripeProductRef {
  stripeProductId: string;
  stripeAccount: string | null;
}

/** A platform product's link to Stripe as the read model holds it. */
export interface ProductLinkView {
  productId: string;
  /** Null once unlinked (the row stays, saying who unlinked it). */
  stripeProductId: string | null;
  account: string | null;
  linkedAt: string | null;
  linkedBy: string | null;
  unlinkedAt: string | null;
  unlinkedBy: string | null;
  /** Subscriptions that give access to the Stripe product now (trialing, active or past_due). */
  activeSubscriptions: number;
  lastEventId: string;
}

/** Subscriptions that give access to a Stripe product: how many, and the first few ids. */
export interface EntitledSubscriptions {
  count: number;
  subscriptionIds: string[];
}

interface LinkRow {
  product_id: string;
  stripe_product_id: string | null;
  account: string | null;
  linked_at: Date | null;
  linked_by: string | null;
  unlinked_at: Date | null;
  unlinked_by: string | null;
  last_event_id: string;
  active_subscriptions: number;
}

/** Subscriptions of the link's Stripe product and account in an entitling status ($1: the statuses). */
const ENTITLED_BY_LINK = `SELECT count(*)::int FROM subscriptions s
  WHERE s.product_ids @> ARRAY[l.stripe_product_id] AND s.account IS NOT DISTINCT FROM l.account AND s.status = ANY($1)`;
const SELECT_LINKS = `SELECT l.*, CASE WHEN l.stripe_product_id IS NULL THEN 0 ELSE (${ENTITLED_BY_LINK}) END AS active_subscriptions
  FROM product_links l`;

/** Every platform product ever linked, by product id, with its current link (if any) and subscriptions. */
export function listProductLinks(dataSource: DataSource, page: Page): Promise<Paged<ProductLinkView>> {
  return paged(
    page,
    (limit, offset) =>
      dataSource.query<LinkRow[]>(`${SELECT_LINKS} ORDER BY l.product_id LIMIT $2 OFFSET $3`, [
        [...ENTITLING_STATUSES],
        limit,
        offset,
      ]),
    viewOf,
  );
}

/** A platform product's link; null when it was never linked. */
export async function findProductLink(dataSource: DataSource, productId: string): Promise<ProductLinkView | null> {
  const rows = await dataSource.query<LinkRow[]>(`${SELECT_LINKS} WHERE l.product_id = $2`, [
    [...ENTITLING_STATUSES],
    productId,
  ]);
  return rows[0] ? viewOf(rows[0]) : null;
}

/** The platform product other than `exceptProductId` that a Stripe product is linked to, if any. */
export async function productLinkedTo(
  dataSource: DataSource,
  stripe: StripeProductRef,
  exceptProductId: string,
): Promise<string | null> {
  const rows = await dataSource.query<{ product_id: string }[]>(
    `SELECT product_id FROM product_links
      WHERE stripe_product_id = $1 AND account IS NOT DISTINCT FROM $2 AND product_id <> $3
      ORDER BY product_id LIMIT 1`,
    [stripe.stripeProductId, stripe.stripeAccount, exceptProductId],
  );
  return rows[0]?.product_id ?? null;
}

/** Subscriptions that give access to a Stripe product now: the count and up to `sample` ids (Stripe ids first). */
export async function subscriptionsEntitledTo(
  dataSource: DataSource,
  stripe: StripeProductRef,
  sample = 5,
): Promise<EntitledSubscriptions> {
  const rows = await dataSource.query<{ id: string; total: number }[]>(
    `SELECT COALESCE(stripe_id, id) AS id, count(*) OVER ()::int AS total FROM subscriptions
      WHERE product_ids @> ARRAY[$1]::text[] AND account IS NOT DISTINCT FROM $2 AND status = ANY($3)
      ORDER BY 1 LIMIT $4`,
    [stripe.stripeProductId, stripe.stripeAccount, [...ENTITLING_STATUSES], sample],
  );
  return { count: rows[0]?.total ?? 0, subscriptionIds: rows.map((row) => row.id) };
}

/** What gives a customer a Stripe product: a subscription (its Stripe id) or a one-off purchase (its invoice). */
export interface ProductGrant {
  productId: string;
  source: 'subscription' | 'purchase';
  sourceId: string;
}

/**
 * The platform products linked to each grant's Stripe product, in the account of the subscription
 * or invoice behind it; keyed by `grantKey`. Grants with none are left out.
 */
export async function linkedPlatformProducts(
  dataSource: DataSource,
  grants: ProductGrant[],
): Promise<Map<string, string[]>> {
  const linked = new Map<string, string[]>();
  if (!grants.length) return linked;
  const rows = await dataSource.query<{ product_id: string; source: string; source_id: string; linked: string }[]>(
    `SELECT g.product_id, g.source, g.source_id, l.product_id AS linked
       FROM json_to_recordset($1::json) AS g(product_id text, source text, source_id text)
       LEFT JOIN subscriptions s ON g.source = 'subscription' AND s.stripe_id = g.source_id
       LEFT JOIN invoices i ON g.source = 'purchase' AND i.id = g.source_id
       JOIN product_links l ON l.stripe_product_id = g.product_id AND l.account IS NOT DISTINCT FROM COALESCE(s.account, i.account)
      ORDER BY l.product_id`,
    [JSON.stringify(grants.map((g) => ({ product_id: g.productId, source: g.source, source_id: g.sourceId })))],
  );
  for (const row of rows) {
    const key = grantKey({ productId: row.product_id, source: row.source, sourceId: row.source_id });
    linked.set(key, [...new Set([...(linked.get(key) ?? []), row.linked])]);
  }
  return linked;
}

/** How linkedPlatformProducts keys its answer: a grant's source and Stripe product. */
export function grantKey(grant: { productId: string; source: string; sourceId: string }): string {
  return `${grant.source}|${grant.sourceId}|${grant.productId}`;
}

function viewOf(row: LinkRow): ProductLinkView {
  return {
    productId: row.product_id,
    stripeProductId: row.stripe_product_id,
    account: row.account,
    linkedAt: row.linked_at?.toISOString() ?? null,
    linkedBy: row.linked_by,
    unlinkedAt: row.unlinked_at?.toISOString() ?? null,
    unlinkedBy: row.unlinked_by,
    activeSubscriptions: row.active_subscriptions,
    lastEventId: row.last_event_id,
  };
}
