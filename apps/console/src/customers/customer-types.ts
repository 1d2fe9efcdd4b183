import type { Schemas } from '../api/api-schemas';

/**
 * What the API answers about a customer and its tabs, as its OpenAPI schemas give it; shapes other
 * areas read too are in ../api/api-shapes.ts.
 */

/** One of the customer's addresses (GET /customers/:id/addresses, and on the record). */
export type CustomerAddress = Schemas['AddressView'];

/** A row of GET /customers; GET /customers/:id answers it with more (CustomerRecord). */
export type Customer = Schemas['CustomerView'];

/** GET /customers/:id: the customer, and where its latest command stands with Stripe (`stripeSync`). */
export type CustomerRecord = Schemas['CustomerRecordView'];

/** GET /customers/:id/subscriptions: the same rows as GET /subscriptions. */
export type CustomerSubscription = Schemas['SubscriptionView'];

export type ActivityEntry = Schemas['ActivityEntryView'];

export type CustomerNotification = Schemas['NotificationView'];

/** GET /customers/:id/access: a product the customer may use, or could until it ended. */
export type ProductAccess = Schemas['AccessView'];
