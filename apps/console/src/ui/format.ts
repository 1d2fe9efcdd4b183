/** Stripe amounts are in minor units; currencies without decimals (JPY, KRW, ...) are whole units. */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

export function minorUnitsPerUnit(currency: string | null | undefined): number {
  return ZERO_DECIMAL.has((currency ?? 'usd').toLowerCase()) ? 1 : 100;
}

/** What a person typed (`12.50`) in minor units (1250); NaN when it is not a number. */
export function toMinorUnits(typed: string, currency: string | null | undefined): number {
  const text = typed.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * minorUnitsPerUnit(currency));
}

export function formatMoney(amount: number | string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const code = (currency ?? 'usd').toLowerCase();
  const value = Number(amount) / minorUnitsPerUnit(code);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: code.toUpperCase() }).format(value);
  } catch {
    return `${value.toFixed(2)} ${code.toUpperCase()}`;
  }
}

/** `1 customer`, `68 customers`, or `10,000+ customers` when the count stopped at its cap. */
export function formatCount(
  { total, totalCapped }: { total: number; totalCapped: boolean },
  one: string,
  many: string,
): string {
  return `${total.toLocaleString()}${totalCapped ? '+' : ''} ${total === 1 && !totalCapped ? one : many}`;
}

/** Dates from the API are ISO strings or Stripe's epoch seconds. */
export function formatDateTime(value: string | number | null | undefined, withSeconds = false): string {
  const date = toDate(value);
  return date
    ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short' })
    : '—';
}

export function formatDate(value: string | number | null | undefined): string {
  const date = toDate(value);
  return date ? date.toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—';
}

export function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatAddress(address: Record<string, string | null | undefined> | null | undefined): string {
  if (!address) return '—';
  const parts = [
    address.line1,
    address.line2,
    address.postalCode ?? address.postal_code,
    address.city,
    address.state,
    address.country,
  ];
  return parts.filter((part) => part !== null && part !== undefined && part !== '').join(', ') || '—';
}
