/**
 * Platform events of the customer aggregate (stream `customer-<platform customer id>`).
 * Events carry the customer's whole details after the change, not only the changed fields, so a
 * read model can take them as one snapshot without holding the aggregate.
 */

export const CUSTOMER_STREAM_CATEGORY = 'customer';

/** Stripe customer metadata keys the platform writes (and reads back from the echo). */
export const CUSTOMER_METADATA = {
  customerId: 'ledgerline_customer_id',
  firstName: 'first_name',
  lastName: 'last_name',
} as const;

export interface PostalAddress {
  line1: string;
  line2: string | null;
  city: string | null;
  /** Province or state. */
  state: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  postalCode: string | null;
}

export interface CustomerDetails {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  address: PostalAddress | null;
}

export interface CustomerRegistered {
  customerId: string;
  details: CustomerDetails;
}

export interface CustomerDetailsChanged {
  customerId: string;
  details: CustomerDetails;
  /** Names of the fields of `details` this change touched. */
  changed: (keyof CustomerDetails)[];
  /**
   * Set when the platform first acts on a customer that came from Stripe (no platform stream yet):
   * the Stripe customer this record is.
   */
  stripeCustomerId?: string | null;
}

export interface CustomerDeleted {
  customerId: string;
  /** The Stripe customers to delete with it (known when the command was decided). */
  stripeCustomerIds: string[];
}

export interface CustomerLinkedToStripe {
  customerId: string;
  stripeCustomerId: string;
  /** The store id of the platform event this Stripe customer was created for. */
  commandEventId: string;
}

export const CUSTOMER_EVENT_TYPES = [
  'CustomerRegistered',
  'CustomerDetailsChanged',
  'CustomerDeleted',
  'CustomerLinkedToStripe',
] as const;

export function customerStream(customerId: string): string {
  return `${CUSTOMER_STREAM_CATEGORY}-${customerId}`;
}
