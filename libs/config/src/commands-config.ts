import { integerSetting, type Value } from './config-values';

export type PlanChangeRefund = 'prorated' | 'full';

export interface CommandsConfig {
  /** On a plan change, credit the unused part of what was paid for the period, or all of it. */
  planChangeRefund: PlanChangeRefund;
  /** With taxes on, every subscription needs an address (tax is computed from it), even one that ships nothing. */
  taxesEnabled: boolean;
  /** Days an invoice sent to the customer (or settled offline) has before it is due. */
  invoiceDaysUntilDue: number;
  /** Outbound Stripe calls: attempts on what Stripe says may be retried, and the first backoff window (doubled each time). */
  stripeSyncMaxAttempts: number;
  stripeSyncRetryBaseMs: number;
}

/** PLAN_CHANGE_REFUND, TAXES_ENABLED, INVOICE_DAYS_UNTIL_DUE, STRIPE_SYNC_MAX_ATTEMPTS, STRIPE_SYNC_RETRY_BASE_MS. */
export function parseCommandsConfig(value: Value, problems: string[]): CommandsConfig {
  const refund = value('PLAN_CHANGE_REFUND') ?? 'prorated';
  if (refund !== 'prorated' && refund !== 'full') {
    problems.push(`PLAN_CHANGE_REFUND: expected "prorated" or "full", got "${refund}"`);
  }
  const taxes = (value('TAXES_ENABLED') ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(taxes)) {
    problems.push(`TAXES_ENABLED: expected "true" or "false", got "${taxes}"`);
  }
  return {
    planChangeRefund: refund === 'full' ? 'full' : 'prorated',
    taxesEnabled: taxes === 'true' || taxes === '1',
    invoiceDaysUntilDue: integerSetting(value, 'INVOICE_DAYS_UNTIL_DUE', 30, 1, 365, problems),
    stripeSyncMaxAttempts: integerSetting(value, 'STRIPE_SYNC_MAX_ATTEMPTS', 6, 1, 50, problems),
    stripeSyncRetryBaseMs: integerSetting(value, 'STRIPE_SYNC_RETRY_BASE_MS', 1_000, 1, 600_000, problems),
  };
}
