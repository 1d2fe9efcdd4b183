import { integerSetting, type Value } from './config-values';

export interface BackfillConfig {
  /**
   * Stripe requests per second a backfill makes. Stripe allows 100 reads/s in live mode and 25 in
   * test mode, shared with everything else using the key: the default leaves room for the live app.
   */
  requestsPerSecond: number;
  /** Attempts per request before a failure Stripe says may be retried (409, 429, 5xx, network) is reported. */
  maxAttempts: number;
  /** Objects per list page (Stripe's maximum is 100). */
  pageSize: number;
}

/** BACKFILL_REQUESTS_PER_SECOND, BACKFILL_MAX_ATTEMPTS, BACKFILL_PAGE_SIZE. */
export function parseBackfillConfig(value: Value, problems: string[]): BackfillConfig {
  return {
    requestsPerSecond: integerSetting(value, 'BACKFILL_REQUESTS_PER_SECOND', 20, 1, 100, problems),
    maxAttempts: integerSetting(value, 'BACKFILL_MAX_ATTEMPTS', 8, 1, 50, problems),
    pageSize: integerSetting(value, 'BACKFILL_PAGE_SIZE', 100, 1, 100, problems),
  };
}
