import type { DataSource } from 'typeorm';
import { isUuid } from '@ledgerline/event-store';
import { COUNT_CAP, type CustomerRef, type Page, type PagedWithTotal, pagedWithTotal } from '../shared/paging';

export interface ActivityEntryView {
  kind: string;
  summary: string;
  occurredAt: string;
  objectType: string;
  objectId: string | null;
  details: unknown;
  /** Who issued a platform command (API key name; `system:...` for outcomes); null for Stripe events. */
  actor: string | null;
  /**
   * The event behind the entry: `GET /stripe-events/:stripeEventId` and the audit trail find it.
   * `stripeEventId` is null for platform events, which only have their store id.
   */
  event: { stripeEventId: string | null; storeEventId: string; type: string };
}

/**
 * What the projector writes as `object_type`: the Stripe object's own `object` (a card, Source or
 * PaymentMethod for an expiring card), or for the platform's entries the record the command is
 * about (`payment` for a refund request, `stripe_sync` for the sync's outcomes).
 */
export const ACTIVITY_OBJECT_TYPES = [
  'customer',
  'subscription',
  'invoice',
  'checkout.session',
  'charge',
  'dispute',
  'payment',
  'card',
  'source',
  'payment_method',
  'stripe_sync',
] as const;
export type ActivityObjectType = (typeof ACTIVITY_OBJECT_TYPES)[number];

/** Which of a customer's entries to list: about one kind of object, in a time window. */
export interface ActivityFilter {
  objectType?: ActivityObjectType;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  before?: Date;
}

interface ActivityRowRead {
  kind: string;
  summary: string;
  occurred_at: Date;
  object_type: string;
  object_id: string | null;
  details: unknown;
  stripe_event_id: string;
  store_event_id: string;
  event_type: string;
}

/**
 * A customer's activity, newest first. An entry is theirs by its Stripe customer id, its platform
 * id, or, for disputes (which name only a charge), through a charge of theirs in activity_charges.
 * invoice.payment_succeeded entries are hidden when the same invoice has an invoice.paid event,
 * so one payment reads once; a Stripe sync success is shown only when the same command failed
 * before (a retry that succeeded), the usual success being no news (docs/activity-feed.md).
 * Optionally only the entries about one kind of object, or in a time window; with the number of
 * matching entries, counted up to `countCap`.
 */
export async function listCustomerActivity(
  dataSource: DataSource,
  customer: CustomerRef,
  page: Page,
  filter: ActivityFilter = {},
  countCap = COUNT_CAP,
): Promise<PagedWithTotal<ActivityEntryView>> {
  const customerId = isUuid(customer.id) ? customer.id : null;
  const params: unknown[] = [customer.stripeIds, customerId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const filters = [
    filter.objectType ? `AND a.object_type = ${param(filter.objectType)}` : '',
    filter.from ? `AND a.occurred_at >= ${param(filter.from.toISOString())}::timestamptz` : '',
    filter.before ? `AND a.occurred_at < ${param(filter.before.toISOString())}::timestamptz` : '',
  ];
  const matching = {
    sql: `FROM activity a
          WHERE (a.customer_stripe_id = ANY($1::text[])
                 OR a.customer_id = $2::uuid
                 OR a.charge_id IN (SELECT c.charge_id FROM activity_charges c WHERE c.customer_stripe_id = ANY($1::text[])))
            AND NOT (a.event_type = 'invoice.payment_succeeded' AND EXISTS (
                  SELECT 1 FROM activity p WHERE p.object_id = a.object_id AND p.event_type = 'invoice.paid'))
            AND NOT (a.kind = 'stripe_synced' AND NOT EXISTS (
                  SELECT 1 FROM activity f WHERE f.object_id = a.object_id AND f.event_type = 'StripeSyncFailed'))
            ${filters.join(' ')}`,
    params,
  };
  return pagedWithTotal(
    dataSource,
    page,
    matching,
    (limit, offset): Promise<ActivityRowRead[]> =>
      dataSource.query(
        `SELECT a.kind, a.summary, a.occurred_at, a.object_type, a.object_id, a.details,
                a.stripe_event_id, a.store_event_id, a.event_type
           ${matching.sql}
          ORDER BY a.occurred_at DESC, a.event_position DESC, a.kind
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      ),
    activityEntryView,
    countCap,
  );
}

function activityEntryView(row: ActivityRowRead): ActivityEntryView {
  return {
    kind: row.kind,
    summary: row.summary,
    occurredAt: new Date(row.occurred_at).toISOString(),
    objectType: row.object_type,
    objectId: row.object_id,
    details: row.details,
    actor: platform(row) ? actorIn(row.details) : null,
    event: {
      stripeEventId: platform(row) ? null : row.stripe_event_id,
      storeEventId: row.store_event_id,
      type: row.event_type,
    },
  };
}

/** Platform entries are keyed by their store event id, having no Stripe one. */
function platform(row: ActivityRowRead): boolean {
  return row.stripe_event_id.toLowerCase() === row.store_event_id.toLowerCase();
}

function actorIn(details: unknown): string | null {
  const actor = typeof details === 'object' && details !== null ? (details as { actor?: unknown }).actor : null;
  return typeof actor === 'string' ? actor : null;
}
