import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { eventually } from '@ledgerline/testing';
import { admin, HostileApi, support } from './hostile-api';

/**
 * Issue 26 as properties, over generated hostile input: command bodies (POST /customers, PATCH
 * /customers/:id), path parameters and query strings with NULs, lone surrogates, bytes that are not
 * UTF-8, malformed escapes, deep nesting, strings up to 200 KB and odd keys (`__proto__`,
 * `constructor`, `prototype`, empty, very long, dotted). Whatever is sent:
 * - the answer is never a 5xx;
 * - a 4xx stores nothing (the store's head does not move);
 * - a 2xx's data is visible through the API, and no projection parks an event.
 * fast-check prints the seed and the smallest failing input when a property fails.
 */

const RUNS = 100;

// ---- text ---------------------------------------------------------------------------------------

const NUL = fc.constant('\u0000');
const LONE_SURROGATE = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
const BAD_CHARACTER = fc.oneof(NUL, LONE_SURROGATE);
/** Whole graphemes: emoji, combining marks, scripts of every kind. */
const PLAIN = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
/** Any code point: controls (NUL included), private use, astral. */
const ANY_CODE_POINTS = fc.string({ unit: 'binary', maxLength: 30 });
const WITH_BAD_CHARACTER = fc.tuple(PLAIN, BAD_CHARACTER, PLAIN).map(([before, bad, after]) => before + bad + after);
const TRICKY = fc.constantFrom(
  '',
  ' ',
  '%00',
  '\\u0000',
  '\\ud800',
  '<script>',
  "'; DROP TABLE customers; --",
  '\u202E',
);
/** 1 KB to 200 KB, sometimes with a NUL or a lone surrogate in the middle. */
const HUGE = fc
  .tuple(
    fc.integer({ min: 1_000, max: 200_000 }),
    fc.option(BAD_CHARACTER, { nil: undefined }),
    fc.constantFrom('x', 'é', '界'),
  )
  .map(([length, bad, unit]) => {
    const text = unit.repeat(length);
    return bad === undefined ? text : text.slice(0, length / 2) + bad + text.slice(length / 2);
  });
const HOSTILE_TEXT = fc.oneof(
  { arbitrary: PLAIN, weight: 4 },
  { arbitrary: ANY_CODE_POINTS, weight: 2 },
  { arbitrary: WITH_BAD_CHARACTER, weight: 2 },
  { arbitrary: TRICKY, weight: 1 },
  { arbitrary: HUGE, weight: 1 },
);
const ODD_KEY = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    '.',
    'a.b',
    'address.line1',
    'toString',
    'x'.repeat(10_000),
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  WITH_BAD_CHARACTER,
);

// ---- JSON, written by hand so that any key (`__proto__` included) reaches the wire --------------

const jsonText = (text: string): string => JSON.stringify(text); // escapes NULs and lone surrogates
const jsonObject = (entries: [string, string][]): string =>
  `{${entries.map(([key, value]) => `${jsonText(key)}:${value}`).join(',')}}`;

const SCALAR = fc.oneof(
  HOSTILE_TEXT.map(jsonText),
  fc.integer().map(String),
  fc.constantFrom('true', 'false', 'null', '1e400', '-0', '12345678901234567890123456789'),
);
const { tree: TREE } = fc.letrec<{ tree: string }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    SCALAR,
    fc.array(tie('tree'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(ODD_KEY, PLAIN), tie('tree')), { maxLength: 3 }).map(jsonObject),
  ),
}));
/** A value nested 2 to 20,000 levels deep, as objects or arrays. */
const DEEP = fc
  .tuple(fc.integer({ min: 2, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"line1":'.repeat(depth)}"x"${'}'.repeat(depth)}`,
  );
const ADDRESS = fc.oneof(
  {
    arbitrary: PLAIN.map((city) =>
      jsonObject([
        ['line1', '"1 Main St"'],
        ['city', jsonText(city)],
        ['country', '"FR"'],
      ]),
    ),
    weight: 2,
  },
  fc.constant(
    jsonObject([
      ['line1', '"1 Main St"'],
      ['city', '"Springfield"'],
      ['country', '"US"'],
    ]),
  ),
  fc.tuple(HOSTILE_TEXT, HOSTILE_TEXT).map(([line1, city]) =>
    jsonObject([
      ['line1', jsonText(line1)],
      ['city', jsonText(city)],
      ['country', '"GB"'],
    ]),
  ),
  TREE,
  DEEP,
);
const FIELD_VALUE = fc.oneof({ arbitrary: HOSTILE_TEXT.map(jsonText), weight: 5 }, { arbitrary: TREE, weight: 1 });
/** Often a plain name, so that a good share of the commands is carried out and must then show. */
const NAME = fc.oneof({ arbitrary: PLAIN.map(jsonText), weight: 3 }, { arbitrary: FIELD_VALUE, weight: 2 });
const EXTRAS = fc.oneof(
  { arbitrary: fc.constant([] as [string, string][]), weight: 3 },
  { arbitrary: fc.array(fc.tuple(ODD_KEY, fc.oneof(TREE, DEEP)), { minLength: 1, maxLength: 2 }), weight: 1 },
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

/** A customer command's body: the fields it knows, each maybe hostile, and maybe odd extra keys. */
const customerBody = (requireNames: boolean) =>
  fc
    .record({
      firstName: requireNames ? NAME : optional(NAME),
      lastName: requireNames ? NAME : optional(NAME),
      email: optional(fc.oneof({ arbitrary: fc.constant('"ada@example.com"'), weight: 2 }, FIELD_VALUE)),
      phone: optional(fc.oneof({ arbitrary: fc.constant('"+44 20 7946 0958"'), weight: 2 }, FIELD_VALUE)),
      address: optional(ADDRESS),
      extras: EXTRAS,
    })
    .map(({ extras, ...fields }) =>
      jsonObject([
        ...Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ...extras,
      ]),
    );

// ---- URLs ---------------------------------------------------------------------------------------

/** Percent-encodes every UTF-16 unit as UTF-8 would, lone surrogates too (as the bytes a sloppy encoder makes). */
function percentEncode(text: string): string {
  let encoded = '';
  for (const character of text) {
    const unit = character.charCodeAt(0);
    if (character.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(character);
    }
  }
  return encoded;
}
const percentBytes = (bytes: Uint8Array): string =>
  [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/** One URL component as it goes on the wire. */
const URL_COMPONENT = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }).map(percentEncode),
      fc.oneof(ANY_CODE_POINTS, WITH_BAD_CHARACTER, TRICKY).map(percentEncode),
      fc.uint8Array({ minLength: 1, maxLength: 12 }).map(percentBytes),
      fc.constantFrom('%', '%4', '%zz', '%E0%A4', '%ED%A0%80', '%C0%AF', '%FF', '%00', '+', '%2F', '..', 'cus_123'),
      fc.integer({ min: 100, max: 3_000 }).map((length) => 'a'.repeat(length)),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((parts) => parts.join(''));

const PATH_ROUTES = [
  ['get', '/customers/:x'],
  ['get', '/customers/:x/subscriptions'],
  ['get', '/customers/:x/audit'],
  ['get', '/subscriptions/:x'],
  ['get', '/stripe-objects/:x'],
  ['get', '/stripe-events/:x'],
  ['get', '/invoices/:x'],
  ['get', '/payments/:x'],
  ['get', '/streams/:x'],
  ['get', '/products/:x'],
  ['patch', '/customers/:x'],
  ['delete', '/customers/:x'],
  ['post', '/payments/:x/refund'],
  ['post', '/subscriptions/:x/cancel'],
] as const;

/** Routes with a query, and the parameters each reads (any other is refused, 400). */
const QUERY_ROUTES: [string, string[]][] = [
  ['/customers', ['q', 'limit', 'offset']],
  ['/subscriptions', ['q', 'status', 'limit', 'offset']],
  ['/subscriptions/export.csv', ['q', 'status']],
  ['/streams/customer-1', ['from', 'direction', 'limit']],
  ['/customers/cus_1', ['asOf']],
  ['/customers/cus_1/audit', ['limit', 'after', 'order']],
];
const QUERY_KEY = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known), weight: 8 },
    { arbitrary: ODD_KEY.filter((key) => key.length < 200).map(percentEncode), weight: 1 },
    { arbitrary: URL_COMPONENT, weight: 1 },
  );
/** Often plain text or a value a parameter takes (so that some queries run), else anything a URL can carry. */
const QUERY_VALUE = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(percentEncode), weight: 2 },
  {
    arbitrary: fc.oneof(
      fc.integer({ min: -5, max: 2 ** 53 }).map(String),
      fc.constantFrom('forwards', 'backwards', 'asc', 'desc', 'active', 'canceled', '2026-01-01T00:00:00Z', '1e400'),
    ),
    weight: 3,
  },
  { arbitrary: URL_COMPONENT, weight: 2 },
);

// ---- the properties -----------------------------------------------------------------------------

describe('hostile input, generated: never a 5xx, a 4xx stores nothing, a 2xx is shown', () => {
  let api: HostileApi;
  let customerId: string;

  beforeAll(async () => {
    api = await HostileApi.start();
    const created = await api
      .http()
      .post('/customers')
      .set('Authorization', support)
      .send({ firstName: 'Fuzz', lastName: 'Target' });
    customerId = (created.body as { id: string }).id;
  });
  afterAll(() => api?.close());

  /** The store's head is unchanged after a 4xx; the answer is no 5xx. */
  function judge(status: number, headBefore: bigint, headAfter: bigint, what: string): void {
    expect({ what, status: status >= 500 || status === 0 ? status : 'not 5xx' }).toEqual({ what, status: 'not 5xx' });
    if (status >= 400) expect({ what, stored: headAfter !== headBefore }).toEqual({ what, stored: false });
  }

  /** Waits until the customer shows the names sent (trimmed, as the command stores them). */
  async function expectShown(id: string, sent: Record<string, unknown>): Promise<void> {
    const expected: Record<string, unknown> = {};
    for (const field of ['firstName', 'lastName'] as const) {
      if (typeof sent[field] === 'string') expected[field] = (sent[field] as string).trim();
    }
    let shown: unknown;
    await eventually(
      async () => {
        const response = await api.http().get(`/customers/${id}`).set('Authorization', support);
        shown = response.body;
        return (
          response.status === 200 &&
          Object.entries(expected).every(([field, value]) => (shown as Record<string, unknown>)[field] === value)
        );
      },
      10_000,
      `customer ${id} to show ${JSON.stringify(expected).slice(0, 200)}`,
    );
  }

  it('POST /customers', async () => {
    await fc.assert(
      fc.asyncProperty(customerBody(true), async (body) => {
        const before = await api.head();
        const response = await api
          .http()
          .post('/customers')
          .set('Authorization', support)
          .set('Content-Type', 'application/json')
          .send(body);
        judge(response.status, before, await api.head(), `POST /customers ${body.slice(0, 300)}`);
        if (response.status < 300) await expectShown((response.body as { id: string }).id, JSON.parse(body));
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('PATCH /customers/:id', async () => {
    await fc.assert(
      fc.asyncProperty(customerBody(false), async (body) => {
        const before = await api.head();
        const response = await api
          .http()
          .patch(`/customers/${customerId}`)
          .set('Authorization', support)
          .set('Content-Type', 'application/json')
          .send(body);
        judge(response.status, before, await api.head(), `PATCH /customers/:id ${body.slice(0, 300)}`);
        if (response.status < 300) await expectShown(customerId, JSON.parse(body));
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('path parameters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATH_ROUTES), URL_COMPONENT, async ([method, route], component) => {
        const path = route.replace(':x', component);
        const before = await api.head();
        const call = api.http()[method](path).set('Authorization', admin);
        const response = await (method === 'get' || method === 'delete' ? call : call.send({ firstName: 'Fuzz' }));
        judge(response.status, before, await api.head(), `${method.toUpperCase()} ${path.slice(0, 300)}`);
        // No generated id names a record, so no command may have been carried out.
        if (method !== 'get') expect([method, path, response.status >= 400]).toEqual([method, path, true]);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...QUERY_ROUTES)
          .chain(([path, known]) =>
            fc.tuple(
              fc.constant(path),
              fc.array(fc.tuple(QUERY_KEY(known), QUERY_VALUE), { minLength: 1, maxLength: 2 }),
            ),
          ),
        async ([path, pairs]) => {
          const url = `${path}?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`;
          const before = await api.head();
          const response = await api.http().get(url).set('Authorization', admin);
          judge(response.status, before, await api.head(), `GET ${url.slice(0, 300)}`);
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('no projection parked anything it was given', async () => {
    await api.expectProjectionsHealthy();
  }, 30_000);
});
