const DATE = /^\d{4}-\d{2}-\d{2}$/;
// A time without a zone would be read in the machine's zone: operators' days are UTC.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A time bound as an operator types it (API body or CLI option: a reconciliation period, a
 * backfill's `since`): an ISO 8601 date (its UTC midnight) or a time with a zone, in whole seconds,
 * on a day that exists (Date would roll 2026-02-30 into March). Unix seconds, or what is wrong with it.
 */
export function timeBound(value: string): { seconds: number } | { problem: string } {
  const ms = new Date(value).getTime();
  const day = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  const real = !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value.slice(0, 10));
  if (!(DATE.test(value) || DATE_TIME.test(value)) || Number.isNaN(ms) || !real) {
    return { problem: 'needs an ISO 8601 date or time with a zone (2026-01-01, 2026-01-01T12:00:00Z)' };
  }
  if (ms % 1000 !== 0) return { problem: 'needs whole seconds' };
  return { seconds: ms / 1000 };
}
