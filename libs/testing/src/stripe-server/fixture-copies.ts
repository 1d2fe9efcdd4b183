import { loadObjectFixture } from '../stripe-fixtures';
import { newId } from './stripe-objects';

/**
 * `count` copies of a real Stripe object (the shared openapi fixture of `resource`, e.g.
 * `customer`, `balance_transaction`) with fresh ids of the fixture's prefix, for `seedObjects`.
 * The copies are a minute apart, newest first from the fixture's `created`; `each(index)` adds or
 * replaces fields of copy `index` (a `created`, a `customer`, a `status`).
 */
export function fixtureCopies(
  resource: string,
  count: number,
  each: (index: number) => Record<string, unknown> = () => ({}),
): Record<string, unknown>[] {
  const fixture = loadObjectFixture(resource);
  // Coupons have ids without a prefix; ours get one that is still a valid coupon id.
  const prefix = /^([a-z]+)_/.exec(String(fixture.id))?.[1] ?? resource.slice(0, 4);
  return Array.from({ length: count }, (_, index) => ({
    ...structuredClone(fixture),
    id: newId(prefix),
    created: Number(fixture.created) - index * 60,
    ...each(index),
  }));
}
