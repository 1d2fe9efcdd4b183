import type { DataSource } from 'typeorm';
import type { EventStore } from '@ledgerline/event-store';
import { subscriptionStream } from '@ledgerline/events';
import { type CustomerView, customerView } from '../customers/customers.query';
import { customersTable } from '../customers/customers.table';
import { foldedRecord } from '../shared/snapshot-table';
import { catalogCouponOf } from '../subscriptions/subscription-discount';
import { type SubscriptionAsOfView, subscriptionView } from '../subscriptions/subscriptions.query';
import { subscriptionsTable } from '../subscriptions/subscriptions.table';
import { foldAsOf, historyStreamsOf } from './time-travel';

/** How a past record was computed, for the response headers. */
export interface AsOfInfo {
  eventsRead: number;
  snapshotEvents: number;
}

/**
 * `GET /customers/:id?asOf=`: the customer record as it stood then, in the live record's shape
 * (the view is the live one's, over the folded row instead of the table's).
 */
export async function customerAsOf(
  dataSource: DataSource,
  store: EventStore,
  id: string,
  asOf: Date,
): Promise<{ view: CustomerView; info: AsOfInfo } | null> {
  const past = await foldAsOf(dataSource, store, 'customer', id, asOf);
  if (!past) return null;
  return { view: customerView(foldedRecord(customersTable, past.row)), info: past };
}

/**
 * `GET /subscriptions/:id?asOf=`: the subscription as it stood then, with its customer as that
 * customer stood then. The status `history` is left out: it is the live record's account of the
 * whole past, not a part of the record at one instant.
 */
export async function subscriptionAsOf(
  dataSource: DataSource,
  store: EventStore,
  id: string,
  asOf: Date,
): Promise<{ view: SubscriptionAsOfView; info: AsOfInfo } | null> {
  const past = await foldAsOf(dataSource, store, 'subscription', id, asOf);
  if (!past) return null;
  const record = foldedRecord(subscriptionsTable, past.row);
  const customerRef = (record.customer_id ?? record.customer_stripe_id) as string | null;
  const customer = customerRef ? await customerAsOf(dataSource, store, customerRef, asOf) : null;
  const view = subscriptionView({
    ...record,
    c_id: customer?.view.id ?? null,
    c_name: customer?.view.name ?? null,
    c_email: customer?.view.email ?? null,
    // The coupon's terms as the catalog has them now, as on the live record.
    catalog_coupon: await catalogCouponOf(dataSource, record),
  });
  return { view: { ...view, replacedBy: await replacedByAsOf(dataSource, store, past.key, asOf) }, info: past };
}

/**
 * The subscription a plan change started in this one's place, once that one had started by `asOf`
 * (the live record's `replacedBy`: the subscription naming this one in `replacesSubscriptionId`).
 * Read from the two platform streams, not the read model.
 */
async function replacedByAsOf(
  dataSource: DataSource,
  store: EventStore,
  key: string,
  asOf: Date,
): Promise<string | null> {
  const recordedBy = (event: { metadata: { recordedAt: string } }) =>
    Date.parse(event.metadata.recordedAt) <= asOf.getTime();
  // Its platform stream: a platform id's own, or the one a Stripe-born subscription's first command started.
  const streams = await historyStreamsOf(dataSource, 'subscription', key);
  const platform = streams.filter((stream) => stream.startsWith(subscriptionStream('')));
  const events = (await Promise.all(platform.map((stream) => store.readStream(stream)))).flat();
  const changes = events.filter((event) => event.type === 'SubscriptionPlanChanged' && recordedBy(event));
  const newId = (changes.at(-1)?.data as { newSubscriptionId?: string } | undefined)?.newSubscriptionId;
  if (!newId) return null;
  const started = (await store.readStream(subscriptionStream(newId), { maxCount: 1 }))[0];
  return started && recordedBy(started) ? newId : null;
}
