import type { StripeObject } from './stripe-objects';

export const PLATFORM_ACCOUNT_ID = 'acct_1LedgerlineTest0';

/**
 * 1973-03-03: older than every object in the shared fixtures, so that a backfill that starts at
 * the account's `created` finds even the fixtures' oldest timestamps. Tests wanting a realistic
 * date set their own (`setPlatformAccount`, `addConnectedAccount`).
 */
export const DEFAULT_ACCOUNT_CREATED = 100_000_000;

/** An account in Stripe's shape; `fields` win over the defaults. */
export function accountObject(id: string, fields: Record<string, unknown> = {}): StripeObject {
  return {
    id,
    object: 'account',
    business_profile: { mcc: null, name: null, support_email: null, url: null },
    business_type: null,
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    controller: { type: 'account' },
    country: 'US',
    created: DEFAULT_ACCOUNT_CREATED,
    default_currency: 'usd',
    details_submitted: true,
    email: null,
    metadata: {},
    payouts_enabled: true,
    settings: { dashboard: { display_name: null, timezone: 'Etc/UTC' } },
    type: 'standard',
    ...fields,
  };
}

/** A connected account from an id or from an account object (a fixture, say), filled in to Stripe's shape. */
export function connectedAccount(account: Record<string, unknown> | string): StripeObject {
  const fields = typeof account === 'string' ? { id: account } : account;
  if (typeof fields.id !== 'string' || !fields.id.startsWith('acct_')) {
    throw new Error(`A connected account needs an acct_ id, got ${String(fields.id)}`);
  }
  return accountObject(fields.id, fields);
}
