import { formatAddress, formatDate, formatDateTime, formatMoney } from '../ui/format';
import type { HistorySubject, RecordView } from './history-types';

const text = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
const yesNo = (value: unknown): string => (value === true ? 'yes' : value === false ? 'no' : '—');

function customerName(record: RecordView): string {
  const name = record.name ?? [record.firstName, record.lastName].filter(Boolean).join(' ');
  return text(name);
}

type Address = Record<string, string | null> & { kind?: string };

export const CUSTOMER_HISTORY: HistorySubject = {
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
      value: (r) =>
        ((r.addresses as Address[] | null) ?? [])
          .map((a) => `${a.kind ?? 'address'}: ${formatAddress(a)}`)
          .join(' · ') || '—',
    },
    { label: 'Balance', value: (r) => formatMoney(r.balance as number | null, r.currency as string | null) },
    { label: 'Delinquent', value: (r) => yesNo(r.delinquent) },
    { label: 'Default payment method', value: (r) => text(r.defaultPaymentMethod) },
    { label: 'Stripe ids', value: (r) => ((r.stripeIds as string[] | null) ?? []).join(', ') || '—' },
    { label: 'Deleted', value: (r) => yesNo(r.deleted) },
  ],
};

interface Item {
  priceId: string | null;
  nickname: string | null;
  quantity: number | null;
  unitAmount: number | null;
  currency: string | null;
  interval: string | null;
}

const period = (start: unknown, end: unknown) =>
  start || end ? `${formatDate(start as string)} – ${formatDate(end as string)}` : '—';

export const SUBSCRIPTION_HISTORY: HistorySubject = {
  collection: 'subscriptions',
  noun: 'subscription',
  titleOf: (r) => `${text(r.stripeId ?? r.id)}${r.customer ? ` · ${text((r.customer as RecordView).name)}` : ''}`,
  fields: [
    { label: 'Status', value: (r) => text(r.status) },
    { label: 'Customer', value: (r) => text((r.customer as RecordView | null)?.name ?? r.customerStripeId) },
    {
      label: 'Items',
      value: (r) =>
        ((r.items as Item[] | null) ?? [])
          .map(
            (i) =>
              `${i.quantity ?? 1} × ${i.nickname ?? i.priceId ?? '?'} (${formatMoney(i.unitAmount, i.currency)}${i.interval ? `/${i.interval}` : ''})`,
          )
          .join(', ') || '—',
    },
    { label: 'Current period', value: (r) => period(r.currentPeriodStart, r.currentPeriodEnd) },
    { label: 'Trial', value: (r) => period(r.trialStart, r.trialEnd) },
    { label: 'Cancel at period end', value: (r) => yesNo(r.cancelAtPeriodEnd) },
    { label: 'Canceled at', value: (r) => formatDateTime(r.canceledAt as string | null) },
    { label: 'Collection', value: (r) => text(r.collectionMethod) },
    { label: 'Shipping address', value: (r) => formatAddress(r.shippingAddress as Address | null) },
    { label: 'Shipments remaining', value: (r) => text(r.shipmentsRemaining) },
    { label: 'Discount', value: (r) => text(r.discount) },
  ],
};
