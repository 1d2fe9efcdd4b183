/** Small readers for untyped Stripe JSON: a wrong type reads as null, never throws. */
export type Json = Record<string, unknown>;

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function obj(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

/** The `data` of a Stripe list (`{ object: 'list', data: [...] }`), or of a plain array. */
export function listData(value: unknown): Json[] {
  const data = Array.isArray(value) ? value : obj(value)?.data;
  return Array.isArray(data) ? data.filter((item): item is Json => obj(item) !== null) : [];
}

/** Unix seconds as an ISO string for timestamptz columns. */
export function time(value: unknown): string | null {
  const seconds = num(value);
  return seconds === null ? null : new Date(seconds * 1000).toISOString();
}

/** The id inside an expandable Stripe field: `"cus_1"` or `{ id: "cus_1", ... }`; null otherwise. */
export function refId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return null;
}

/** JSON with keys sorted at every level: equal data gives equal text whatever its key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}
