import type { SnapshotTable } from '../shared/snapshot-table';
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

/**
 * The customer record. Keyed by platform id, so a platform customer and the Stripe customer(s) linked
 * to it are one row (see platformCustomerId); `stripe_ids` accumulates every linked Stripe id.
 */
export const customersTable: SnapshotTable = {
  table: 'customers',
  objectTypes: ['customer'],
  keyOf: (object, { account }) => platformCustomerId(String(object.id), account, object.metadata),
  columns: [
    { name: 'stripe_id', type: 'text' },
    { name: 'stripe_ids', type: 'text[]', merge: 'union' },
    { name: 'email', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'first_name', type: 'text' },
    { name: 'last_name', type: 'text' },
    { name: 'phone', type: 'text' },
    { name: 'company', type: 'text' },
    { name: 'department', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'addresses', type: 'jsonb' },
    { name: 'balance', type: 'bigint' },
    { name: 'currency', type: 'text' },
    { name: 'delinquent', type: 'boolean' },
    { name: 'default_payment_method', type: 'text' },
    { name: 'metadata', type: 'jsonb' },
    { name: 'livemode', type: 'boolean' },
    { name: 'stripe_created', type: 'timestamptz' },
    { name: 'search_text', type: 'text' },
  ],
  toRow(customer) {
    const metadata = obj(customer.metadata) ?? {};
    const name = str(customer.name) ?? str(customer.individual_name);
    const [first, last] = splitName(name, metadata);
    const addresses = addressesOf(customer);
    const company = str(metadata.company) ?? str(customer.business_name);
    const department = str(metadata.department);
    const row = {
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
    return { ...row, search_text: searchText(row, addresses) };
  },
};

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
 * One lower-case text that support searches partially (trigram index): names, email, company,
 * department, every address and the phone both as written and as digits only.
 */
function searchText(row: Record<string, unknown>, addresses: AddressView[]): string {
  const phones = [row.phone, ...addresses.map((a) => a.phone)].filter((p): p is string => typeof p === 'string');
  const parts = [
    row.name,
    row.first_name,
    row.last_name,
    row.email,
    row.company,
    row.department,
    ...phones,
    ...phones.map((p) => p.replace(/\D/g, '')),
    ...addresses.flatMap((a) => [a.line1, a.line2, a.postalCode, a.city, a.state, a.country]),
  ];
  return parts
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join(' | ')
    .toLowerCase();
}
