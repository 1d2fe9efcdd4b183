import { describe, expect, it } from '@jest/globals';
import { parseCommandsConfig } from './commands-config';
import { problemsOf } from './testing/config-problems';

const parse = (env: Record<string, string>) => parseCommandsConfig((name) => env[name], []);

describe('commands configuration', () => {
  it('defaults to prorated plan-change credits, no taxes, 30 days to pay, six Stripe attempts', () => {
    expect(parse({})).toEqual({
      planChangeRefund: 'prorated',
      taxesEnabled: false,
      invoiceDaysUntilDue: 30,
      stripeSyncMaxAttempts: 6,
      stripeSyncRetryBaseMs: 1000,
    });
  });

  it('reads every setting', () => {
    expect(
      parse({
        PLAN_CHANGE_REFUND: 'full',
        TAXES_ENABLED: 'true',
        INVOICE_DAYS_UNTIL_DUE: '14',
        STRIPE_SYNC_MAX_ATTEMPTS: '3',
        STRIPE_SYNC_RETRY_BASE_MS: '10',
      }),
    ).toEqual({
      planChangeRefund: 'full',
      taxesEnabled: true,
      invoiceDaysUntilDue: 14,
      stripeSyncMaxAttempts: 3,
      stripeSyncRetryBaseMs: 10,
    });
  });

  it('names every bad value', () => {
    const problems = problemsOf({ PLAN_CHANGE_REFUND: 'half', TAXES_ENABLED: 'maybe', INVOICE_DAYS_UNTIL_DUE: '0' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PLAN_CHANGE_REFUND'),
        expect.stringContaining('TAXES_ENABLED'),
        expect.stringContaining('INVOICE_DAYS_UNTIL_DUE'),
      ]),
    );
  });
});
