import type { ApiClient } from '../api/api-client';
import { retryWhileNotFound, waitForReadModel } from '../api/wait-for-read-model';
import type { Customer, CustomerRecord } from './customer-types';

export function customerPath(id: string, tab?: string): string {
  return `/customers/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`;
}

/** The customer pages poll more often than the catch-up default: their waits are short. */
const LOAD_POLL_MS = 250;
const WAIT_POLL_MS = 150;

/**
 * A customer by id. The read models catch up with a command a moment after it is answered, so a
 * record opened right after it was created may not be there yet: with `retryNotFoundMs`, a 404 is
 * asked again until that time has passed.
 */
export function loadCustomer(
  api: ApiClient,
  id: string,
  signal: AbortSignal,
  retryNotFoundMs = 0,
): Promise<CustomerRecord> {
  return retryWhileNotFound(() => api.get<CustomerRecord>(customerPath(id), { signal }), signal, {
    timeoutMs: retryNotFoundMs,
    pollMs: LOAD_POLL_MS,
  });
}

/**
 * Waits until the customer's read models show what a command did (`shows` is true), so the page
 * opened next shows it too. Gives up quietly after `timeoutMs`: the command is done either way,
 * the record just shows it a moment later. Errors other than "not there yet" are thrown.
 */
export function waitForCustomer(
  api: ApiClient,
  id: string,
  shows: (customer: CustomerRecord) => boolean,
  timeoutMs = 5_000,
): Promise<boolean> {
  return waitForReadModel(() => api.get<CustomerRecord>(customerPath(id)), shows, { timeoutMs, pollMs: WAIT_POLL_MS });
}

/** The name support knows the customer by: first and last name, else Stripe's name, else the email. */
export function displayName(customer: Pick<Customer, 'firstName' | 'lastName' | 'name' | 'email'>): string {
  const full = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return full || customer.name || customer.email || '(no name)';
}

export function billingAddress(customer: Pick<Customer, 'addresses'>) {
  return customer.addresses.find((address) => address.kind === 'billing') ?? null;
}
