import type { NotificationKind } from '@ledgerline/read-models';

/** What a channel delivers: the notification as the receiver sees it (the webhook's JSON body). */
export interface NotificationMessage {
  id: string;
  kind: NotificationKind;
  customerId: string;
  customerStripeId: string;
  occurredAt: string;
  subject: Record<string, unknown>;
}

export type DeliveryResult =
  | { delivered: true; statusCode: number | null }
  /** `error` is recorded on the notification: short, and never the payload or a secret. */
  | { delivered: false; error: string };

/**
 * A way of telling the customer (a signed webhook so far; email or SMS providers would be others).
 * Channels report failures as results; a thrown error counts as a failed attempt too.
 */
export interface NotificationChannel {
  readonly name: string;
  deliver(message: NotificationMessage): Promise<DeliveryResult>;
}

/** Provide a channel under this token to replace the webhook channel built from the configuration. */
export const NOTIFICATION_CHANNEL = Symbol.for('ledgerline.NotificationChannel');
