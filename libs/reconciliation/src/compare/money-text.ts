/**
 * Amounts in finding messages: Stripe minor units written as money (`$4.00`, `¥1,500`, `€12.50`),
 * the way the console shows the finding's figures beside them. Deterministic (a fixed locale), so
 * a report stays byte-identical for the same inputs.
 */

// Stripe's lists ("Zero-decimal currencies", "Three-decimal currencies").
const ZERO_DECIMAL = new Set('bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '));
const THREE_DECIMAL = new Set('bhd jod kwd omr tnd'.split(' '));
const formats = new Map<string, Intl.NumberFormat | null>();

export function moneyText(minor: number, currency: string | null): string {
  const code = (currency ?? '').toLowerCase();
  if (!code) return `${minor} (minor units)`;
  const digits = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  const major = minor / 10 ** digits;
  let format = formats.get(code);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: code.toUpperCase(),
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      format = null;
    }
    formats.set(code, format);
  }
  return format ? format.format(major).replace(/\u00a0/g, ' ') : `${major.toFixed(digits)} ${code.toUpperCase()}`;
}

/** Ledger fields that count objects rather than sum money. */
export const COUNT_FIELDS: ReadonlySet<string> = new Set(['charges', 'invoicesPaid']);

/** A ledger field's value in words: money as money, a count as a count. */
export function fieldValueText(field: string, value: number, currency: string | null): string {
  return COUNT_FIELDS.has(field) ? String(value) : moneyText(value, currency);
}
