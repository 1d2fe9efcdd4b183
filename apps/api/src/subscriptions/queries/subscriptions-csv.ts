import type { SubscriptionView } from '@ledgerline/read-models';

/** The export's columns: what finance and support open in a spreadsheet. */
const COLUMNS: [string, (s: SubscriptionView) => unknown][] = [
  ['id', (s) => s.id],
  ['status', (s) => s.status],
  ['customer_id', (s) => s.customerId],
  ['customer_stripe_id', (s) => s.customerStripeId],
  ['customer_name', (s) => (s.customer as { name?: unknown } | null)?.name],
  ['customer_email', (s) => (s.customer as { email?: unknown } | null)?.email],
  ['products', (s) => (s.productIds as string[] | null)?.join(' ')],
  ['currency', (s) => s.currency],
  ['current_period_start', (s) => s.currentPeriodStart],
  ['current_period_end', (s) => s.currentPeriodEnd],
  ['trial_end', (s) => s.trialEnd],
  ['cancel_at_period_end', (s) => s.cancelAtPeriodEnd],
  ['canceled_at', (s) => s.canceledAt],
  ['collection_method', (s) => s.collectionMethod],
  ['created', (s) => s.stripeCreated],
];

export const CSV_HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

export function csvRow(subscription: SubscriptionView): string {
  return `${COLUMNS.map(([, value]) => csvField(value(subscription))).join(',')}\r\n`;
}

/**
 * RFC 4180 quoting; a field that a spreadsheet would run as a formula (=, +, -, @) is prefixed
 * with an apostrophe, since customer names come from outside.
 */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
