import type { Answer, Schemas } from './api-schemas';

/**
 * HTTP answers more than one area of the console reads, by the names the pages know them by: each
 * is the api's OpenAPI schema (./api-schemas.ts), so a change of the api's types shows here.
 */

/** `{ data, limit, offset, hasMore }` of every paged list: what the `Paged_*` schemas share, with rows of `T`. */
export type Paged<T> = Omit<Schemas[Extract<keyof Schemas, `Paged_${string}`>], 'data'> & { data: T[] };

/** What a list that counts its matches (`PagedWithTotal_*`) adds to the page: `total` and `totalCapped`. */
export type ListTotal = Pick<Schemas[Extract<keyof Schemas, `PagedWithTotal_${string}`>], 'total' | 'totalCapped'>;

/** A subscription's shipping address (an object type, so formatAddress takes it as a record of strings). */
export type PostalAddress = Schemas['PostalAddress'];

/** An item of a subscription, on GET /subscriptions and a customer's subscriptions alike. */
export type SubscriptionItem = Schemas['SubscriptionItemView'];

/** A customer's invoices and a subscription's invoices are the same read model's rows. */
export type Invoice = Schemas['InvoiceView'];

export type CardSummary = Schemas['PaymentMethodSummary'];

/**
 * A charge or payment intent: GET /payments/:id and a customer's payments list answer the same.
 * `object` tells which: a charge has its refunds and disputes, a payment intent its charges. Both
 * add the refunds asked for that Stripe has not confirmed yet (`pendingRefunds`) and what is left
 * to refund (`refundable`, pending ones excluded).
 */
export type Payment = Answer<'/payments/{id}', 'get'>;

/** A refund asked for that Stripe has not confirmed yet. */
export type PendingRefund = Schemas['PendingRefund'];

/** Where a record's latest command stands with Stripe: paused, pending, failed (and why), synced. */
export type RecordStripeSync = Schemas['RecordStripeSync'];

/** GET /customers/:id/payment-methods: the customer's tab and the subscription form's card hint. */
export type PaymentMethod = Schemas['PaymentMethodView'];

/** What every command answers: the aggregate's id and the events appended. */
export type CommandResult = Schemas['CommandResult'];
