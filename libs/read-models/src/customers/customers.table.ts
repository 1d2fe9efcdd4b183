import type { RecordedEvent } from '@ledgerline/event-store';
import type {
  CustomerDeleted,
  CustomerDetails,
  CustomerDetailsChanged,
  CustomerLinkedToStripe,
  CustomerRegistered,
} from '@ledgerline/events';
import { searchFoldSql } from '../shared/search-fold';
import type { Column, PartialSnapshot, SnapshotTable } from '../shared/snapshot-table';
import { customerStripeIdOf, platformCustomerId } from '../shared/stripe-refs';
import { type Json, num, bool, obj, str, time } from '../shared/stripe-values';

export interface AddressView {
  kind: 'billing' | 'shipping';
  name: string | null;
  phone: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  postalCode: string | null;
  state: string | null;
  country: string | null;
  source: 'stripe' | 'platform';
}

/** The customers table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const customersColumns = [
  { name: 'stripe_id', type: 'text', group: 'link' },
  { name: 'stripe_ids', type: 'text[]', merge: 'union' },
  { name: 'email', type: 'text', group: 'profile' },
  { name: 'name', type: 'text', group: 'profile' },
  { name: 'first_name', type: 'text', group: 'profile' },
  { name: 'last_name', type: 'text', group: 'profile' },
  { name: 'phone', type: 'text', group: 'profile' },
  { name: 'company', type: 'text' },
  { name: 'department', type: 'text' },
  { name: 'description', type: 'text' },
  { name: 'addresses', type: 'jsonb', group: 'profile' },
  { name: 'balance', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'delinquent', type: 'boolean' },
  { name: 'default_payment_method', type: 'text' },
  { name: 'metadata', type: 'jsonb' },
  { name: 'livemode', type: 'boolean' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/**
 * The customer record. Keyed by platform id, so a platform customer and the Stripe customer(s) linked
 * to it are one row (see platformCustomerId); `stripe_ids` accumulates every linked Stripe id.
 * The platform's own edits (platform events, before Stripe echoes them) write the `profile` group
 * and the `link` to Stripe; the rest only Stripe knows.
 */
export const customersTable: SnapshotTable = {
  table: 'customers',
  objectTypes: ['customer'],
  keyOf: (object, { account }) => platformCustomerId(String(object.id), account, object.metadata),
  columns: customersColumns,
  // Profile and company come from different writers: the search text is made from the final row.
  derived: { search_text: searchTextSql },
  toRow(customer) {
    const metadata = obj(customer.metadata) ?? {};
    const name = str(customer.name) ?? str(customer.individual_name);
    const [first, last] = splitName(name, metadata);
    const addresses = addressesOf(customer);
    const company = str(metadata.company) ?? str(customer.business_name);
    const department = str(metadata.department);
    return {
      stripe_id: customerStripeIdOf(customer),
      stripe_ids: [String(customer.id)],
      email: str(customer.email),
      name,
      first_name: first,
      last_name: last,
      phone: str(customer.phone),
      company,
      department,
      description: str(customer.description),
      addresses,
      balance: num(customer.balance),
      currency: str(customer.currency),
      delinquent: bool(customer.delinquent),
      default_payment_method:
        str(obj(customer.invoice_settings)?.default_payment_method) ??
        str(obj(obj(customer.invoice_settings)?.default_payment_method)?.id) ??
        str(customer.default_source),
      metadata,
      livemode: bool(customer.livemode),
      stripe_created: time(customer.created),
    };
  },
  platformEvents: {
    CustomerRegistered: (event) => {
      const data = event.data as CustomerRegistered;
      return [{ key: platformKey(data.customerId), groups: { profile: profileOf(data.details) } }];
    },
    CustomerDetailsChanged: (event) => {
      const data = event.data as CustomerDetailsChanged;
      const partial = link(event, data.stripeCustomerId);
      return [{ ...partial, groups: { ...partial.groups, profile: profileOf(data.details) } }];
    },
    CustomerLinkedToStripe: (event) => [link(event, (event.data as CustomerLinkedToStripe).stripeCustomerId)],
    CustomerDeleted: (event) => [{ key: platformKey((event.data as CustomerDeleted).customerId), deleted: true }],
  },
};

function platformKey(customerId: string): string {
  return customerId.toLowerCase();
}

/** The Stripe customer this record is: joins stripe_ids, and is the record's stripe_id unless Stripe says newer. */
function link(event: RecordedEvent, stripeCustomerId: string | null | undefined): PartialSnapshot {
  const key = platformKey((event.data as { customerId: string }).customerId);
  if (!stripeCustomerId) return { key };
  return { key, groups: { link: { stripe_id: stripeCustomerId } }, merged: { stripe_ids: [stripeCustomerId] } };
}

/** The platform's details as the profile group: what Stripe's echo will say once the sync is done. */
function profileOf(details: CustomerDetails): Record<string, unknown> {
  const name = [details.firstName, details.lastName].filter(Boolean).join(' ') || null;
  const a = details.address;
  const billing: AddressView | null = a && {
    kind: 'billing',
    name,
    phone: details.phone,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    postalCode: a.postalCode,
    state: a.state,
    country: a.country,
    source: 'platform',
  };
  return {
    email: details.email,
    name,
    first_name: str(details.firstName),
    last_name: str(details.lastName),
    phone: details.phone,
    addresses: billing ? [billing] : [],
  };
}

/** Stripe has one `name`; first and last come from metadata when the platform set them, else a split. */
function splitName(name: string | null, metadata: Json): [string | null, string | null] {
  const first = str(metadata.first_name);
  const last = str(metadata.last_name);
  if (first || last) return [first, last];
  if (!name) return [null, null];
  const parts = name.trim().split(/\s+/);
  return parts.length === 1 ? [parts[0]!, null] : [parts[0]!, parts.slice(1).join(' ')];
}

function addressesOf(customer: Json): AddressView[] {
  const addresses: AddressView[] = [];
  const billing = obj(customer.address);
  if (billing && hasAny(billing)) {
    addresses.push(address('billing', billing, str(customer.name), str(customer.phone)));
  }
  const shipping = obj(customer.shipping);
  const shippingAddress = obj(shipping?.address);
  if (shipping && shippingAddress && hasAny(shippingAddress)) {
    addresses.push(address('shipping', shippingAddress, str(shipping.name), str(shipping.phone)));
  }
  return addresses;
}

function address(kind: AddressView['kind'], a: Json, name: string | null, phone: string | null): AddressView {
  return {
    kind,
    name,
    phone,
    line1: str(a.line1),
    line2: str(a.line2),
    city: str(a.city),
    postalCode: str(a.postal_code),
    state: str(a.state),
    country: str(a.country),
    source: 'stripe',
  };
}

function hasAny(a: Json): boolean {
  return ['line1', 'line2', 'city', 'postal_code', 'state', 'country'].some((key) => str(a[key]) !== null);
}

/**
 * One folded text (lower case, accents and letters like ø, æ, ß spelled plain: searchFoldSql) that
 * support searches partially (trigram index): names, email, company, department, every address and
 * the phones both as written and as digits only. SQL over the row as written (SnapshotTable.derived).
 * Changing it needs a migration that recomputes the rows (CustomerSearchFold1764000002900).
 */
export function searchTextSql(column: (name: string) => string): string {
  const digits = (phone: string) => `NULLIF(regexp_replace(${phone}, '\\D', '', 'g'), '')`;
  const fields = ['name', 'first_name', 'last_name', 'email', 'company', 'department', 'phone'].map(column);
  const address = ['line1', 'line2', 'postalCode', 'city', 'state', 'country'].map((key) => `a->>'${key}'`);
  return searchFoldSql(`array_to_string(array_remove(
    ARRAY[${fields.join(', ')}, ${digits(column('phone'))}]
    || ARRAY(SELECT part FROM jsonb_array_elements(COALESCE(${column('addresses')}, '[]'::jsonb)) AS a,
             unnest(ARRAY[a->>'phone', ${digits(`a->>'phone'`)}, ${address.join(', ')}]) AS part),
    ''), ' | ')`);
}
