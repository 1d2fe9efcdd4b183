import type { DataSource } from 'typeorm';
import type { EventStore } from '@ledgerline/event-store';
import { type CustomerView, customerView } from '../customers/customers.query';
import { customersTable } from '../customers/customers.table';
import { foldedRecord } from '../shared/snapshot-table';
import { type SubscriptionView, subscriptionView } from '../subscriptions/subscriptions.query';
import { subscriptionsTable } from '../subscriptions/subscriptions.table';
import { foldAsOf } from './time-travel';

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
): Promise<{ view: SubscriptionView; info: AsOfInfo } | null> {
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
  });
  return { view, info: past };
}
