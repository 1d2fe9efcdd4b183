import { uuidV5 } from '@ledgerline/event-store';

/** Fixed forever: changing it would give every notification a new id and send it again. */
export const NOTIFICATION_ID_NAMESPACE = 'c3a4e0b2-6f1d-4e8a-9b57-2d8f1a6c4e93';

export const NOTIFICATION_KINDS = [
  'customer_created',
  'subscription_created',
  'invoice_created',
  'charge_succeeded',
  'payment_failed',
  'trial_will_end',
  'card_expiring',
  'subscription_cancelled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NotificationStatus = 'pending' | 'sent' | 'failed';

/** Delivery outcomes are platform events, so a rebuild or replay keeps statuses and never re-sends. */
export const NOTIFICATION_DELIVERED = 'NotificationDelivered';
export const NOTIFICATION_DELIVERY_FAILED = 'NotificationDeliveryFailed';

export interface NotificationDeliveredData {
  notificationId: string;
  attempt: number;
  deliveredAt: string;
  channel: string;
  statusCode: number | null;
}

export interface NotificationDeliveryFailedData {
  notificationId: string;
  attempt: number;
  error: string;
  /** When to try again; null: given up, the notification is `failed`. */
  nextAttemptAt: string | null;
}

/** One stream per notification: attempt n is revision n-1, so two dispatchers cannot record it twice. */
export function notificationStream(notificationId: string): string {
  return `notification-${notificationId}`;
}

/** The same Stripe event always owes the same notification, however often it is delivered or replayed. */
export function notificationId(stripeEventId: string, kind: NotificationKind): string {
  return uuidV5(`${stripeEventId}/${kind}`, NOTIFICATION_ID_NAMESPACE);
}

/** The id of an attempt's outcome event: appending it twice (a retried append) stores it once. */
export function notificationOutcomeEventId(notificationId: string, attempt: number): string {
  return uuidV5(`${notificationId}/attempt/${attempt}`, NOTIFICATION_ID_NAMESPACE);
}
