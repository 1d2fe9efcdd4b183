import { describe, expect, it } from '@jest/globals';
import {
  findUnstorableText,
  isStorableString,
  MAX_REPAIR_PATHS,
  mayHoldUnstorableText,
  storableString,
  withStorableText,
} from './storable-text';

const R = '\uFFFD';

describe('storable text (decision 0018)', () => {
  it('replaces a NUL and each lone surrogate with U+FFFD, and keeps surrogate pairs and everything else', () => {
    expect(storableString('a\u0000b')).toBe(`a${R}b`);
    expect(storableString('\ud800')).toBe(R);
    expect(storableString('\udc00x\ud83d')).toBe(`${R}x${R}`);
    expect(storableString('\ud800\ud800\udc00')).toBe(`${R}\ud800\udc00`);
    const fine = 'plain, é, 😀 (\ud83d\ude00), \u0001\u001b\u2028, \ufffd';
    expect(storableString(fine)).toBe(fine);
    expect(isStorableString(fine)).toBe(true);
    expect(isStorableString('x\u0000')).toBe(false);
  });

  it('tells JSON text that may hold such text from text that cannot', () => {
    expect(mayHoldUnstorableText(JSON.stringify({ name: 'a\u0000' }))).toBe(true);
    expect(mayHoldUnstorableText(JSON.stringify({ name: 'a\ud800' }))).toBe(true);
    expect(mayHoldUnstorableText('{"name":"\\uDFFF"}')).toBe(true);
    expect(mayHoldUnstorableText(JSON.stringify({ name: 'plain 😀 é \u0001' }))).toBe(false);
  });

  it('finds it in strings and keys, in document order, and says how much and where', () => {
    const value = JSON.parse(
      '{"id":"evt_\\u0000","data":{"object":{"name":"\\ud800\\u0000","tags":["ok","\\udc00"],"metadata":{"a b\\u0000":"x"}}}}',
    );
    expect(findUnstorableText(value)).toEqual({
      replaced: 5,
      places: 4,
      paths: ['id', 'data.object.name', 'data.object.tags[1]', `data.object.metadata["a b${R}"] (key)`],
    });
    expect(findUnstorableText({ a: ['fine', { b: 'ok 😀' }] })).toBeNull();
    expect(findUnstorableText('\u0000')).toEqual({ replaced: 1, places: 1, paths: [''] });
  });

  it('records at most MAX_REPAIR_PATHS paths, each cut short, but counts them all', () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, '\u0000']));
    const found = findUnstorableText({ [`${'x'.repeat(500)}\ud83d\ude00`]: many })!;
    expect(found).toMatchObject({ replaced: 50, places: 50 });
    expect(found.paths).toHaveLength(MAX_REPAIR_PATHS);
    for (const path of found.paths) {
      expect(path.length).toBeLessThanOrEqual(200);
      expect(isStorableString(path)).toBe(true);
    }
  });

  it('copies the value with the text repaired, never changing the input; the same value when nothing needs it', () => {
    const input = JSON.parse('{"name":"a\\u0000","list":[{"x":"\\ud800"}],"n":1,"ok":true,"none":null}');
    const snapshot = JSON.stringify(input);
    const repaired = withStorableText(input);
    expect(repaired).toEqual({ name: `a${R}`, list: [{ x: R }], n: 1, ok: true, none: null });
    expect(JSON.stringify(input)).toBe(snapshot);
    const clean = { a: { b: ['c'] } };
    expect(withStorableText(clean)).toBe(clean);
    expect(withStorableText('x\u0000')).toBe(`x${R}`);
  });

  it('keeps odd keys as plain data, and lengthens a repaired key that would replace another', () => {
    const input = JSON.parse(`{"__proto__":{"polluted":"\\u0000"},"constructor":"c","":"e","k\\u0000":1,"k${R}":2}`);
    const repaired = withStorableText(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(repaired)).toBe(Object.prototype);
    expect(Object.keys(repaired)).toEqual(['__proto__', 'constructor', '', `k${R}${R}`, `k${R}`]);
    expect(Object.getOwnPropertyDescriptor(repaired, '__proto__')!.value).toEqual({ polluted: R });
    expect(repaired[`k${R}`]).toBe(2);
    expect(repaired[`k${R}${R}`]).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('walks any depth without recursion', () => {
    const depth = 100_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`);
    expect(findUnstorableText(deep)).toMatchObject({ replaced: 1, places: 1 });
    let inner = withStorableText(deep) as unknown;
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe(R);
  });
});
