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
}

export class ServerState {
  private readonly accounts = new Map<string, AccountState>();

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
      };
      this.accounts.set(key, state);
    }
    return state;
  }
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
