/** Unix seconds as ISO 8601 (UTC). */
export function isoOf(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** The UTC day (`2026-01-31`) of a Unix time. */
export function dayOf(unixSeconds: number): string {
  return isoOf(unixSeconds).slice(0, 10);
}
