/**
 * Text PostgreSQL cannot hold: a NUL (U+0000), which neither `text` nor `jsonb` takes, and a lone
 * UTF-16 surrogate (a high one not followed by a low one, or a low one not preceded by a high
 * one), which is not Unicode at all and which `jsonb` refuses. JSON carries both as `\u0000` and
 * `\ud800` escapes, and Stripe passes on what its users type (names, metadata) as JSON.
 *
 * Such text is stored as received (the store's `data` column is `json`, which keeps the signed
 * bytes) and read with each of those code units replaced by U+FFFD, the Unicode replacement
 * character: docs/decisions/0018-hostile-stripe-payloads.md. Everything here is iterative: no
 * payload's depth can overflow the stack.
 */

export const REPLACEMENT_CHARACTER = '\uFFFD';

const UNSTORABLE_SOURCE = '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g');

/**
 * In JSON text, the escapes that can stand for unstorable text: `\u0000` and any surrogate. A body
 * without one (all but a handful) has nothing to repair and is not walked at all. A surrogate
 * outside an escape cannot occur: the body was decoded from UTF-8, which has none.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** At most this many paths are recorded in `TextRepair.paths`, each at most this long. */
export const MAX_REPAIR_PATHS = 20;
const MAX_PATH_LENGTH = 200;

/** What a payload held that PostgreSQL cannot: recorded in the event's `metadata.textRepair`. */
export interface TextRepair {
  /** Code units read as U+FFFD. */
  replaced: number;
  /** Strings and keys that hold one or more. */
  places: number;
  /**
   * Where, in document order: `data.object.name`, `data.object.metadata["a b"]`; a key's own path
   * followed by ` (key)` when the key itself held one. The first MAX_REPAIR_PATHS, written as read.
   */
  paths: string[];
}

export function isStorableString(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text with every NUL and lone surrogate replaced by U+FFFD; the same string when it has none. */
export function storableString(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, REPLACEMENT_CHARACTER) : text;
}

/**
 * Whether JSON text may hold unstorable text (an escape that stands for some); false means it cannot.
 * On the webhook's hot path: Stripe's bodies rarely hold a `\u` escape at all, and looking for one
 * is some fifty times quicker than the regular expression.
 */
export function mayHoldUnstorableText(jsonText: string): boolean {
  return jsonText.includes('\\u') && UNSTORABLE_ESCAPE.test(jsonText);
}

interface Node {
  value: unknown;
  parent: Node | null;
  /** The key or index under the parent. */
  at: string | number;
}

/** The unstorable text anywhere in a JSON value, keys included, or null when there is none. */
export function findUnstorableText(value: unknown): TextRepair | null {
  let replaced = 0;
  let places = 0;
  const paths: string[] = [];
  const found = (node: Node, text: string, key: boolean) => {
    replaced += text.match(UNSTORABLE_ALL)!.length;
    places += 1;
    if (paths.length < MAX_REPAIR_PATHS) paths.push(pathOf(node) + (key ? ' (key)' : ''));
  };
  const stack: Node[] = [{ value, parent: null, at: '' }];
  while (stack.length) {
    const node = stack.pop()!;
    // A key is recorded as its property is reached, so that paths come in document order.
    if (typeof node.at === 'string' && node.parent && !isStorableString(node.at)) found(node, node.at, true);
    const item = node.value;
    if (typeof item === 'string') {
      if (!isStorableString(item)) found(node, item, false);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    const children: Node[] = Array.isArray(item)
      ? item.map((child, i) => ({ value: child, parent: node, at: i }))
      : Object.entries(item).map(([key, child]) => ({ value: child, parent: node, at: key }));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return places ? { replaced, places, paths } : null;
}

/**
 * The value with every string and key made storable (storableString); the value itself when it
 * holds nothing unstorable, else a copy (the input is never changed: shared reads hand the same
 * parsed event to several readers). A repaired key that would collide with a key already there
 * gets further U+FFFD appended, so no value is lost. `__proto__` and the like stay plain data.
 */
export function withStorableText<T>(value: T): T {
  if (findUnstorableText(value) === null) return value;
  const copy = (item: unknown, pending: [object, object][]): unknown => {
    if (typeof item === 'string') return storableString(item);
    if (typeof item !== 'object' || item === null) return item;
    const target: object = Array.isArray(item) ? [] : {};
    pending.push([item, target]);
    return target;
  };
  const pending: [object, object][] = [];
  const root = copy(value, pending);
  while (pending.length) {
    const [source, target] = pending.pop()!;
    if (Array.isArray(source)) {
      for (const item of source) (target as unknown[]).push(copy(item, pending));
      continue;
    }
    const keys = Object.keys(source);
    const taken = new Set(keys.filter(isStorableString));
    for (const key of keys) {
      let name = key;
      if (!isStorableString(key)) {
        name = storableString(key);
        while (taken.has(name)) name += REPLACEMENT_CHARACTER;
        taken.add(name);
      }
      Object.defineProperty(target, name, {
        value: copy((source as Record<string, unknown>)[key], pending),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root as T;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let at: Node | null = node; at?.parent; at = at.parent) {
    if (typeof at.at === 'number') parts.push(`[${at.at}]`);
    else {
      const key = storableString(at.at);
      parts.push(IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
    }
  }
  const path = parts.reverse().join('').replace(/^\./, '');
  // Cut with storableString: the cut may fall between the two halves of a surrogate pair.
  return path.length > MAX_PATH_LENGTH ? `${storableString(path.slice(0, MAX_PATH_LENGTH - 1))}…` : path;
}
