import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './notification-dispatcher';

describe('retryDelayMs', () => {
  it('starts at the base, doubles after each failed attempt and stops at an hour', () => {
    expect([1, 2, 3, 4].map((failed) => retryDelayMs(failed, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(8, 30_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(100, 30_000)).toBe(60 * 60 * 1000);
  });
});
