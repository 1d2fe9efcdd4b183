/**
 * Stripe's lists give no totals, but they go newest first: how far back in time a listing has come,
 * against how far it has to go (`--since`, or when the account was opened), says what share of
 * it is done. That assumes objects were created at an even pace, which is rough but steady, and
 * the estimate sharpens as the listing goes; it becomes exact when the listing ends.
 */
export function estimateListingTotal(input: {
  fetched: number;
  done: boolean;
  /** `created` of the oldest object listed so far. */
  oldestCreated: number | null;
  /** When the run started listing, and the earliest an object can have been created (Unix seconds). */
  listedFrom: number;
  lowerBound: number | null;
}): number | null {
  if (input.done) return input.fetched;
  const { oldestCreated, listedFrom, lowerBound } = input;
  if (oldestCreated === null || lowerBound === null || listedFrom <= lowerBound) return null;
  const share = (listedFrom - oldestCreated) / (listedFrom - lowerBound);
  if (!(share > 0.001)) return null;
  return Math.max(input.fetched + 1, Math.round(input.fetched / Math.min(1, share)));
}
