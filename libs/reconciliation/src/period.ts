/** Unix seconds as ISO 8601 (UTC). */
export function isoOf(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

const DAY_SECONDS = 86_400;
// A run dates every ledger entry (a million and more): the few thousand distinct days are formatted once.
const days = new Map<number, string>();

/** The UTC day (`2026-01-31`) of a Unix time. */
export function dayOf(unixSeconds: number): string {
  const index = Math.floor(unixSeconds / DAY_SECONDS);
  let day = days.get(index);
  if (day === undefined) {
    day = isoOf(index * DAY_SECONDS).slice(0, 10);
    if (days.size < 100_000) days.set(index, day);
  }
  return day;
}
