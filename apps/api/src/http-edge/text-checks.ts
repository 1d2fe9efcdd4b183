/**
 * What text the api refuses at its edge, wherever it comes from (a path, a query string, a JSON
 * body): what PostgreSQL cannot hold. A NUL is refused by `text` and `jsonb` alike ("invalid byte
 * sequence for encoding UTF8: 0x00", "unsupported Unicode escape sequence"); a lone surrogate is
 * not Unicode, so `jsonb` refuses it and UTF-8 cannot encode it. Anything else is stored as sent.
 */

/** A UTF-16 high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Keys that name the prototype machinery: refused in bodies and query strings like any unknown field. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `text` cannot be stored ("contains a NUL character ..."), or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) {
    return 'contains a lone surrogate (\\ud800-\\udfff without its pair), which is not valid Unicode';
  }
  return null;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;
const SHOWN_NAME_LENGTH = 64;

/**
 * A property name as shown in a message: as is when it reads as an identifier, else quoted with its
 * odd characters escaped (`["nick\u0000"]`), cut to 64 characters so a huge key makes no huge answer.
 */
export function shownName(name: string): string {
  if (PLAIN_NAME.test(name) && name.length <= SHOWN_NAME_LENGTH) return name;
  const cut = name.length > SHOWN_NAME_LENGTH ? `${name.slice(0, SHOWN_NAME_LENGTH)}…` : name;
  // JSON.stringify escapes control characters and (since ES2019) lone surrogates.
  return `[${JSON.stringify(cut)}]`;
}
