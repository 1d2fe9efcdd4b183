import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { fixtureCopies } from './fixture-copies';
import { startStripeServer, type StripeTestServer } from './stripe-test-server';

const T = 1_700_000_000;

type Listed = { id: string; created: number };

/** Stripe's list order, written out here rather than borrowed from the server. */
function newestFirst(objects: Record<string, unknown>[]): string[] {
  return (objects as Listed[])
    .slice()
    .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1))
    .map((o) => o.id);
}

async function ids(list: AsyncIterable<{ id: string }>): Promise<string[]> {
  const found: string[] = [];
  for await (const item of list) found.push(item.id);
  return found;
}

describe('Stripe test server: list semantics over seeded objects', () => {
  let server: StripeTestServer;
  let stripe: Stripe;
  // Three customers a minute apart: ties on `created` are ordered by id.
  let seeded: Record<string, unknown>[];
  let expected: string[];

  beforeEach(async () => {
    server = await startStripeServer();
    stripe = server.stripe();
    seeded = fixtureCopies('customer', 260, (i) => ({
      created: T - Math.floor(i / 3) * 60,
      email: `c${i}@example.com`,
    }));
    server.seedObjects(seeded);
    expected = newestFirst(seeded);
  });

  afterEach(async () => {
    await server.close();
  });

  it('pages 260 seeded customers with auto-pagination: each once, newest first', async () => {
    const found = await ids(stripe.customers.list({ limit: 100 }));
    expect(found).toEqual(expected);
    expect(new Set(found).size).toBe(260);
    const pages = server.requests({ method: 'GET', path: '/v1/customers' });
    expect(pages.map((r) => r.query.starting_after)).toEqual([undefined, expected[99], expected[199]]);

    const first = await stripe.customers.list();
    expect(first).toMatchObject({ object: 'list', url: '/v1/customers', has_more: true });
    expect(first.data.map((c) => c.id)).toEqual(expected.slice(0, 10));
    expect(first.data[0]).toMatchObject({ object: 'customer', email: expect.stringMatching(/@example\.com$/) });
  });

  it('filters on created: a range, a bound, or one exact second', async () => {
    const byCreated = (test: (created: number) => boolean) =>
      newestFirst(seeded.filter((c) => test(c.created as number)));
    const range = { gte: T - 3000, lt: T - 1200 };
    expect(await ids(stripe.customers.list({ created: range, limit: 7 }))).toEqual(
      byCreated((at) => at >= range.gte && at < range.lt),
    );
    expect(await ids(stripe.customers.list({ created: { gt: T - 120 }, limit: 100 }))).toEqual(expected.slice(0, 6));
    expect(await ids(stripe.customers.list({ created: { lte: T - 85 * 60 }, limit: 100 }))).toEqual(
      byCreated((at) => at <= T - 85 * 60),
    );
    const exactly = await stripe.customers.list({ created: T - 60 });
    expect(exactly.data.map((c) => c.id)).toEqual(expected.slice(3, 6));
  });

  it('resumes after a cursor, pages back before one, and refuses unknown cursors and limits', async () => {
    const second = await stripe.customers.list({ limit: 100, starting_after: expected[99] });
    expect([second.data.map((c) => c.id), second.has_more]).toEqual([expected.slice(100, 200), true]);
    const last = await stripe.customers.list({ limit: 100, starting_after: expected[199] });
    expect([last.data.map((c) => c.id), last.has_more]).toEqual([expected.slice(200), false]);

    const before = await stripe.customers.list({ limit: 20, ending_before: expected[150] });
    expect([before.data.map((c) => c.id), before.has_more]).toEqual([expected.slice(130, 150), true]);
    // Paging backwards, the SDK hands out the older objects first.
    expect(await ids(stripe.customers.list({ limit: 2, ending_before: expected[5] }))).toEqual(
      expected.slice(0, 5).reverse(),
    );

    await expect(stripe.customers.list({ starting_after: 'cus_missing' })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'resource_missing',
      param: 'starting_after',
      message: "No such customer: 'cus_missing'",
    });
    await expect(stripe.customers.list({ ending_before: 'cus_missing' })).rejects.toMatchObject({
      param: 'ending_before',
    });
    for (const limit of [0, 101]) {
      await expect(stripe.customers.list({ limit })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
    }
  });

  it('merges customers made through the API with the seeded ones, deletions and patches included', async () => {
    const made = await Promise.all([1, 2, 3].map((n) => stripe.customers.create({ email: `api${n}@example.com` })));
    await stripe.customers.del(made[0]!.id);
    await stripe.customers.update(made[1]!.id, { balance: -700 });
    const found = await ids(stripe.customers.list({ limit: 100 }));
    expect(found).toHaveLength(262);
    expect(found.slice(0, 2).sort()).toEqual([made[1]!.id, made[2]!.id].sort());
    expect(found.slice(2)).toEqual(expected);
    expect(await server.countCustomers()).toBe(262);

    const listed = (await stripe.customers.list({ email: 'api2@example.com' })).data;
    expect(listed.map((c) => [c.id, c.balance])).toEqual([[made[1]!.id, -700]]);
    expect((await stripe.customers.list({ email: 'c7@example.com' })).data.map((c) => c.id)).toEqual([seeded[7]!.id]);

    expect(await stripe.customers.retrieve(made[0]!.id)).toMatchObject({ deleted: true });
    expect(await stripe.customers.retrieve(made[2]!.id)).toMatchObject({ email: 'api3@example.com' });
    expect(await stripe.customers.retrieve(seeded[0]!.id as string)).toMatchObject({ email: 'c0@example.com' });
  });

  it('replaces an object seeded again, forgets a removed one, and answers 404 for unknown ids', async () => {
    const id = seeded[4]!.id as string;
    server.seedObjects([{ ...seeded[4], email: 'changed@example.com', created: T + 60 }]);
    expect((await stripe.customers.list({ limit: 1 })).data[0]).toMatchObject({ id, email: 'changed@example.com' });
    expect(await ids(stripe.customers.list({ limit: 100 }))).toHaveLength(260);

    expect(server.removeObject(id)).toBe(true);
    expect(server.removeObject(id)).toBe(false);
    expect(await ids(stripe.customers.list({ limit: 100 }))).not.toContain(id);
    await expect(stripe.customers.retrieve(id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
    });
    await expect(stripe.invoices.retrieve('in_missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such invoice: 'in_missing'",
    });
    expect(() => server.seedObjects([{ id: 'x_1' }])).toThrow(/object/);
  });
});
