/**
 * Stripe's v1 API speaks `application/x-www-form-urlencoded` with bracket nesting
 * (`metadata[key]=v`, `items[0][price]=p`, `expand[]=x`). A small parser of our own keeps the test
 * server off undeclared transitive packages such as `qs`.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormParams = { [key: string]: FormValue };

// Keys that would reach Object.prototype through bracket syntax.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseForm(text: string): FormParams {
  const root: Node = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const path = keyPath(decode(rawKey));
    if (path.length === 0 || path.some((segment) => UNSAFE_KEYS.has(segment))) continue;
    assign(root, path, decode(rawValue));
  }
  // The root is always an object, even when every top-level key happens to be numeric.
  return Object.fromEntries(Object.entries(root).map(([key, value]) => [key, arraysFromIndexedObjects(value)]));
}

/** Encodes nested params the way the Stripe SDK does, so the backing mock parses them alike. */
export function encodeForm(params: FormParams): string {
  const pairs: string[] = [];
  const walk = (prefix: string, value: FormValue | undefined | null): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(`${prefix}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(prefix ? `${prefix}[${key}]` : key, child);
    } else {
      pairs.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(value)}`);
    }
  };
  walk('', params);
  return pairs.join('&');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** `items[0][price]` → ['items', '0', 'price']; `expand[]` → ['expand', '']. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return key ? [key] : [];
  const path = [key.slice(0, open)];
  const brackets = key.slice(open).match(/\[[^\]]*\]/g) ?? [];
  for (const bracket of brackets) path.push(bracket.slice(1, -1));
  return path;
}

type Node = { [key: string]: Node | string };

function assign(root: Node, path: string[], value: string): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i] === '' ? String(Object.keys(node).length) : path[i]!;
    const next = node[segment];
    if (typeof next === 'object') {
      node = next;
    } else {
      // A scalar already sits here (`a=1&a[b]=2`): the nested form wins, as in qs.
      const child: Node = {};
      node[segment] = child;
      node = child;
    }
  }
  const last = path[path.length - 1]!;
  node[last === '' ? String(Object.keys(node).length) : last] = value;
}

function arraysFromIndexedObjects(node: Node | string): FormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const converted = Object.fromEntries(keys.map((key) => [key, arraysFromIndexedObjects(node[key]!)]));
  const indexed = keys.length > 0 && keys.every((key) => /^(0|[1-9]\d*)$/.test(key));
  if (!indexed) return converted;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => converted[String(index)]!);
}
