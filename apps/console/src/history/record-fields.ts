import { formatAddress, formatDate, formatDateTime, formatMoney } from '../ui/format';
import type { HistoryRecords, HistorySubject } from './history-types';

const text = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
const yesNo = (value: boolean | null): string => (value === true ? 'yes' : value === false ? 'no' : '—');

function customerName(record: HistoryRecords['customers']): string {
  const name = record.name ?? [record.firstName, record.lastName].filter(Boolean).join(' ');
  return text(name);
}

export const CUSTOMER_HISTORY: HistorySubject<'customers'> = {
  collection: 'customers',
  noun: 'customer',
  titleOf: customerName,
  fields: [
    { label: 'Name', value: customerName },
    { label: 'Email', value: (r) => text(r.email) },
    { label: 'Phone', value: (r) => text(r.phone) },
    { label: 'Company', value: (r) => text(r.company) },
    {
      label: 'Addresses',
      value: (r) => r.addresses.map((a) => `${a.kind}: ${formatAddress(a)}`).join(' · ') || '—',
    },
    { label: 'Balance', value: (r) => formatMoney(r.balance, r.currency) },
    { label: 'Delinquent', value: (r) => yesNo(r.delinquent) },
    { label: 'Default payment method', value: (r) => text(r.defaultPaymentMethod) },
    { label: 'Stripe ids', value: (r) => r.stripeIds.join(', ') || '—' },
    { label: 'Deleted', value: (r) => yesNo(r.deleted) },
  ],
};

const period = (start: string | null, end: string | null) =>
  start || end ? `${formatDate(start)} – ${formatDate(end)}` : '—';

export const SUBSCRIPTION_HISTORY: HistorySubject<'subscriptions'> = {
  collection: 'subscriptions',
  noun: 'subscription',
  titleOf: (r) => `${text(r.stripeId ?? r.id)}${r.customer ? ` · ${text(r.customer.name)}` : ''}`,
  fields: [
    { label: 'Status', value: (r) => text(r.status) },
    { label: 'Customer', value: (r) => text(r.customer?.name ?? r.customerStripeId) },
    {
      label: 'Items',
      value: (r) =>
        (r.items ?? [])
          .map(
            (i) =>
              `${i.quantity ?? 1} × ${i.nickname ?? i.priceId ?? '?'} (${formatMoney(i.unitAmount, i.currency)}${i.interval ? `/${i.interval}` : ''})`,
          )
          .join(', ') || '—',
    },
    { label: 'Current period', value: (r) => period(r.currentPeriodStart, r.currentPeriodEnd) },
    { label: 'Trial', value: (r) => period(r.trialStart, r.trialEnd) },
    { label: 'Cancel at period end', value: (r) => yesNo(r.cancelAtPeriodEnd) },
    { label: 'Canceled at', value: (r) => formatDateTime(r.canceledAt) },
    { label: 'Collection', value: (r) => text(r.collectionMethod) },
    { label: 'Shipping address', value: (r) => formatAddress(r.shippingAddress) },
    { label: 'Shipments remaining', value: (r) => text(r.shipmentsRemaining) },
    { label: 'Discount', value: (r) => text(r.discount) },
  ],
};
