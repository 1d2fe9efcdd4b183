/**
 * Wording helpers for activity summaries. Everything here is deterministic (UTC dates, a fixed
 * locale): a rebuild must write the same summary text as the first run did.
 */
export { type Json, listData, num, obj, str } from '../shared/stripe-values';
import { num, str } from '../shared/stripe-values';

// Stripe's own lists (docs: "Zero-decimal currencies", "Three-decimal currencies"). ISO 4217 minor
// units differ for a few of them (ISK, UGX), and Stripe amounts follow Stripe's list.
const ZERO_DECIMAL = new Set('bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '));
const THREE_DECIMAL = new Set('bhd jod kwd omr tnd'.split(' '));

/** Stripe minor units as money text: `€12.50`, `$9.00`, `¥1,500`; null when either part is missing. */
export function money(amount: unknown, currency: unknown): string | null {
  const minor = num(amount);
  const code = str(currency)?.toLowerCase();
  if (minor === null || !code) return null;
  const digits = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  const major = minor / 10 ** digits;
  const format = currencyFormat(code, digits);
  // ICU puts a no-break space after code symbols (`CHF 12.50`): keep plain text.
  return format ? format.format(major).replace(/\u00a0/g, ' ') : `${major.toFixed(digits)} ${code.toUpperCase()}`;
}

// Building an Intl.NumberFormat costs about as much as formatting a thousand amounts, and a rebuild
// formats one per money event: one formatter per currency (null: a code Intl does not know).
const formats = new Map<string, Intl.NumberFormat | null>();

function currencyFormat(code: string, digits: number): Intl.NumberFormat | null {
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
      format = null; // not a currency code Intl knows (malformed data): still readable, see money()
    }
    // Malformed codes are unbounded: keep only the first thousand.
    if (formats.size < 1_000) formats.set(code, format);
  }
  return format;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Unix seconds as `12 Mar 2026` (UTC); null when not a number. */
export function day(seconds: unknown): string | null {
  const value = num(seconds);
  if (value === null) return null;
  const date = new Date(value * 1000);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `past_due` → `past due`: Stripe's enum values read well enough once unsnaked. */
export function words(value: unknown): string | null {
  const text = str(value);
  return text ? text.replace(/_/g, ' ') : null;
}

/** `a, b and 2 more`: long lists would drown the summary. */
export function listWords(items: string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
