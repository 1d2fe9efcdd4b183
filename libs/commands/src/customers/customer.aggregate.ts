import type {
  CustomerDeleted,
  CustomerDetails,
  CustomerDetailsChanged,
  CustomerLinkedToStripe,
  CustomerRegistered,
} from '@ledgerline/events';
import { CommandRejected } from '../command-handling/command-errors';
import type { DecidedEvent, Evolver } from '../command-handling/decider';

export interface CustomerState {
  status: 'unknown' | 'active' | 'deleted';
  details: CustomerDetails | null;
  /** Every Stripe customer this record is, oldest first. */
  stripeCustomerIds: string[];
}

/** The customer aggregate: the platform's own facts about a customer, folded from `customer-<id>`. */
export const customerEvolver: Evolver<CustomerState> = {
  initialState: () => ({ status: 'unknown', details: null, stripeCustomerIds: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'CustomerRegistered':
        return { ...state, status: 'active', details: (event.data as CustomerRegistered).details };
      case 'CustomerDetailsChanged': {
        const data = event.data as CustomerDetailsChanged;
        const status = state.status === 'unknown' ? 'active' : state.status;
        return { ...state, status, details: data.details, stripeCustomerIds: withId(state, data.stripeCustomerId) };
      }
      case 'CustomerDeleted':
        return { ...state, status: 'deleted' };
      case 'CustomerLinkedToStripe':
        return { ...state, stripeCustomerIds: withId(state, (event.data as CustomerLinkedToStripe).stripeCustomerId) };
      default:
        return state;
    }
  },
};

function withId(state: CustomerState, id: string | null | undefined): string[] {
  return id && !state.stripeCustomerIds.includes(id) ? [...state.stripeCustomerIds, id] : state.stripeCustomerIds;
}

export type CustomerDetailsPatch = Partial<CustomerDetails>;

export function decideRegister(state: CustomerState, customerId: string, details: CustomerDetails): DecidedEvent[] {
  if (state.status !== 'unknown') throw CommandRejected.conflict(`Customer ${customerId} already exists`);
  const data: CustomerRegistered = { customerId, details };
  return [{ type: 'CustomerRegistered', data }];
}

/** Applies a patch; no event when nothing actually changes (a repeated edit is a no-op). */
export function decideChangeDetails(
  state: CustomerState,
  customerId: string,
  patch: CustomerDetailsPatch,
  seededFromStripe: boolean,
): DecidedEvent[] {
  assertActive(state, customerId);
  const before = state.details!;
  const details: CustomerDetails = { ...before, ...definedOnly(patch) };
  const changed = (Object.keys(details) as (keyof CustomerDetails)[]).filter(
    (key) => JSON.stringify(details[key]) !== JSON.stringify(before[key]),
  );
  if (!changed.length) return [];
  const data: CustomerDetailsChanged = {
    customerId,
    details,
    changed,
    ...(seededFromStripe ? { stripeCustomerId: state.stripeCustomerIds[0] ?? null } : {}),
  };
  return [{ type: 'CustomerDetailsChanged', data }];
}

export function decideDelete(state: CustomerState, customerId: string): DecidedEvent[] {
  assertActive(state, customerId);
  const data: CustomerDeleted = { customerId, stripeCustomerIds: state.stripeCustomerIds };
  return [{ type: 'CustomerDeleted', data }];
}

/** Commands on a customer need one that exists and is not deleted. */
export function assertActive(state: CustomerState, customerId: string): void {
  if (state.status === 'unknown') throw CommandRejected.notFound(`Customer ${customerId} not found`);
  if (state.status === 'deleted') throw CommandRejected.conflict(`Customer ${customerId} is deleted`);
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
