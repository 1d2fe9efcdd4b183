import { accountObject, PLATFORM_ACCOUNT_ID } from './account-object';
import type { StripeObject } from './stripe-objects';

/** What this layer knows beyond the backing mock, for one Stripe-Account (or the platform). */
export interface AccountState {
  deletedCustomers: Set<string>;
  /** Fields laid over the mock's objects by id, for what the mock cannot store itself (balance, links). */
  patches: Map<string, Record<string, unknown>>;
  balanceTransactions: StripeObject[];
  /** The account's balance (`/v1/balance_transactions`): what tests seed as Stripe's side of a reconciliation. */
  balanceLedger: StripeObject[];
  subscriptions: Map<string, StripeObject>;
  coupons: Map<string, StripeObject>;
  discounts: Map<string, StripeObject>;
  paymentIntents: Map<string, StripeObject>;
  /** Webhook endpoints (`we_...`), without their secrets. */
  webhookEndpoints: Map<string, StripeObject>;
  /** Objects a test put here as they are (`seedObjects`), by `object` type, then by id. */
  seeded: Map<string, Map<string, StripeObject>>;
}

export class ServerState {
  private readonly accounts = new Map<string, AccountState>();
  /** What `GET /v1/account` answers without a Stripe-Account header. */
  platformAccount: StripeObject = accountObject(PLATFORM_ACCOUNT_ID);

  forAccount(account: string | null): AccountState {
    const key = account ?? '';
    let state = this.accounts.get(key);
    if (!state) {
      state = {
        deletedCustomers: new Set(),
        patches: new Map(),
        balanceTransactions: [],
        balanceLedger: [],
        subscriptions: new Map(),
        coupons: new Map(),
        discounts: new Map(),
        paymentIntents: new Map(),
        webhookEndpoints: new Map(),
        seeded: new Map(),
      };
      this.accounts.set(key, state);
    }
    return state;
  }
}

/** Stores copies, so that a test changing its own objects afterwards changes nothing here. */
export function seedObjects(state: AccountState, objects: Record<string, unknown>[]): void {
  for (const object of objects) {
    if (typeof object.id !== 'string' || typeof object.object !== 'string') {
      throw new Error(
        `A seeded Stripe object needs a string id and object, got ${JSON.stringify(object).slice(0, 80)}`,
      );
    }
    let ofType = state.seeded.get(object.object);
    if (!ofType) state.seeded.set(object.object, (ofType = new Map()));
    ofType.set(object.id, structuredClone(object) as StripeObject);
  }
}

export function removeSeeded(state: AccountState, id: string): boolean {
  let removed = false;
  // Not only the first: a plan and its price may share an id.
  for (const ofType of state.seeded.values()) removed = ofType.delete(id) || removed;
  return removed;
}

export function seededOf(state: AccountState, type: string): StripeObject[] {
  return [...(state.seeded.get(type)?.values() ?? [])];
}

export function patchObject(state: AccountState, id: string, fields: Record<string, unknown>): void {
  state.patches.set(id, { ...state.patches.get(id), ...fields });
}

/** Lays the patches over every object in a mock answer, nested ones included (a charge's refunds). */
export function applyPatches(state: AccountState, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => applyPatches(state, item));
  if (!value || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = applyPatches(state, child);
  const patch = typeof copy.id === 'string' ? state.patches.get(copy.id) : undefined;
  return patch ? { ...copy, ...patch } : copy;
}
