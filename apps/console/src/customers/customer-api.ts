import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { Customer } from './customer-types';

export function customerPath(id: string, tab?: string): string {
  return `/customers/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`;
}

/**
 * A customer by id. The read models catch up with a command a moment after it is answered, so a
 * record opened right after it was created may not be there yet: with `retryNotFoundMs`, a 404 is
 * asked again until that time has passed.
 */
export async function loadCustomer(
  api: ApiClient,
  id: string,
  signal: AbortSignal,
  retryNotFoundMs = 0,
): Promise<Customer> {
  const deadline = Date.now() + retryNotFoundMs;
  for (;;) {
    try {
      return await api.get<Customer>(customerPath(id), { signal });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || Date.now() >= deadline) throw error;
      await pause(250, signal);
    }
  }
}

/**
 * Waits until the customer's read model shows what a command did (`shows` is true), so the page
 * opened next shows it too. Gives up quietly after `timeoutMs`: the command is done either way,
 * the record just shows it a moment later. Errors other than "not there yet" are thrown.
 */
export async function waitForCustomer(
  api: ApiClient,
  id: string,
  shows: (customer: Customer) => boolean,
  timeoutMs = 5_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (shows(await api.get<Customer>(customerPath(id)))) return true;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    await pause(150);
  }
  return false;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** The name support knows the customer by: first and last name, else Stripe's name, else the email. */
export function displayName(customer: Pick<Customer, 'firstName' | 'lastName' | 'name' | 'email'>): string {
  const full = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return full || customer.name || customer.email || '(no name)';
}

export function billingAddress(customer: Pick<Customer, 'addresses'>) {
  return customer.addresses.find((address) => address.kind === 'billing') ?? null;
}
