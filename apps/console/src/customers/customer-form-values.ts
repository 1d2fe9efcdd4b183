import { billingAddress } from './customer-api';
import type { Customer } from './customer-types';

/** The form as typed: every field a string, empty when not given. */
export interface CustomerFormValues {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  state: string;
  country: string;
}

export const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'postalCode', 'state', 'country'] as const;

export const EMPTY_CUSTOMER_FORM: CustomerFormValues = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  line1: '',
  line2: '',
  city: '',
  postalCode: '',
  state: '',
  country: '',
};

/** The form of an existing customer: its profile and billing address (the one the API edits). */
export function formValuesOf(customer: Customer): CustomerFormValues {
  const address = billingAddress(customer);
  return {
    firstName: customer.firstName ?? '',
    lastName: customer.lastName ?? '',
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    postalCode: address?.postalCode ?? '',
    state: address?.state ?? '',
    country: address?.country ?? '',
  };
}

type AddressBody = Partial<Record<(typeof ADDRESS_FIELDS)[number], string>>;

/**
 * The address as the API takes it, or null when no field is filled. line1 and country go along even
 * when empty, so the API names them as missing instead of the form guessing; the optional fields
 * go only when filled (the API refuses an empty city).
 */
function addressBody(values: CustomerFormValues): AddressBody | null {
  if (ADDRESS_FIELDS.every((field) => values[field].trim() === '')) return null;
  const body: AddressBody = { line1: values.line1.trim(), country: values.country.trim() };
  for (const field of ['line2', 'city', 'postalCode', 'state'] as const) {
    if (values[field].trim() !== '') body[field] = values[field].trim();
  }
  return body;
}

/** `POST /customers`: names always (the API says when missing), the optional fields when filled. */
export function registerBody(values: CustomerFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { firstName: values.firstName.trim(), lastName: values.lastName.trim() };
  if (values.email.trim()) body.email = values.email.trim();
  if (values.phone.trim()) body.phone = values.phone.trim();
  const address = addressBody(values);
  if (address) body.address = address;
  return body;
}

/**
 * `PATCH /customers/:id`: only what changed, so an edit never overwrites a field someone else
 * changed meanwhile. An emptied email, phone or address is sent as null, which clears it; an
 * emptied name is sent empty, for the API to refuse with its message.
 */
export function changeBody(initial: CustomerFormValues, values: CustomerFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of ['firstName', 'lastName'] as const) {
    if (values[field].trim() !== initial[field].trim()) body[field] = values[field].trim();
  }
  for (const field of ['email', 'phone'] as const) {
    if (values[field].trim() !== initial[field].trim()) body[field] = values[field].trim() || null;
  }
  if (ADDRESS_FIELDS.some((field) => values[field].trim() !== initial[field].trim()))
    body.address = addressBody(values);
  return body;
}

/** Whether the customer's read model shows a change the API accepted (after its own normalising). */
export function showsChange(customer: Customer, body: Record<string, unknown>): boolean {
  const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);
  for (const field of ['firstName', 'lastName', 'email', 'phone'] as const) {
    if (field in body && !same(customer[field], body[field])) return false;
  }
  if (!('address' in body)) return true;
  const wanted = body.address as AddressBody | null;
  const held = billingAddress(customer);
  if (wanted === null) return held === null;
  return (
    held !== null &&
    same(held.line1, wanted.line1) &&
    same(held.city, wanted.city) &&
    same(held.postalCode, wanted.postalCode) &&
    same(held.country, wanted.country?.toUpperCase())
  );
}
