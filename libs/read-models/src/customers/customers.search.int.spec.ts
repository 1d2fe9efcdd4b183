import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readModelDatabase, stripeEvent } from '../shared/testing/read-model-events';
import { platformCustomerId } from '../shared/stripe-refs';
import { searchFold, searchFoldSql, searchWords } from '../shared/search-fold';
import { CustomerSearchFold1764000002900 } from './customer-search-fold.migration';
import { customersProjector } from './customers.projector';
import { searchCustomers } from './customer-list.query';
import { searchSubscriptions } from '../subscriptions/subscriptions.query';

const T = 1_760_000_000;
const PAGE = { limit: 50, offset: 0 };
const PLATFORM_ID = '7c9e6679-7425-40de-944b-e07fc1f66afa';

// An email that holds neither the id nor the name, so only the id and the folding can match.
let emails = 0;
const customer = (id: string, name: string, extra: Record<string, unknown> = {}) =>
  stripeEvent('customer.created', T, 'customer', { id, name, email: `person${++emails}@example.org`, ...extra });

describe('customer search (issue 28): every word, any order, accents folded, ids', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const projector = customersProjector();
  const names = async (q: string) => (await searchCustomers(db.dataSource, { q }, PAGE)).data.map((c) => c.name).sort();

  beforeAll(async () => {
    db = await readModelDatabase('customers_search');
  });
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE customers`);
    await db.feed(
      [projector],
      [
        customer('cus_alice', 'Alice Johnson'),
        customer('cus_john', 'John Alder'),
        customer('cus_orsted', 'Mette Ørsted'),
        customer('cus_zoe', 'Zoë Saldaña'),
        customer('cus_chen', '伟 陈'),
        customer('cus_strauss', 'Jürgen Strauß', { metadata: { company: 'Æther Łódź Đurić' } }),
        customer('cus_pct', 'Percy 100%_off'),
        customer('cus_platform', 'Paula Platform', { metadata: { ledgerline_customer_id: PLATFORM_ID } }),
      ],
      8,
    );
  });
  afterAll(() => db.close());

  it('matches every word of the query, in any order', async () => {
    expect(await names('ali john')).toEqual(['Alice Johnson']);
    expect(await names('john ali')).toEqual(['Alice Johnson']);
    expect(await names('JOHN')).toEqual(['Alice Johnson', 'John Alder']);
    expect(await names('alice nobody')).toEqual([]);
  });

  it('folds accents and letters like ø, æ, ß, ł, đ on both sides', async () => {
    expect(await names('orsted')).toEqual(['Mette Ørsted']);
    expect(await names('Ørsted')).toEqual(['Mette Ørsted']);
    expect(await names('zoe')).toEqual(['Zoë Saldaña']);
    expect(await names('zoë saldana')).toEqual(['Zoë Saldaña']);
    expect(await names('strauss jurgen')).toEqual(['Jürgen Strauß']);
    expect(await names('aether lodz duric')).toEqual(['Jürgen Strauß']);
  });

  it('reads Chinese character by character, so "陈伟" finds "伟 陈"', async () => {
    expect(await names('陈伟')).toEqual(['伟 陈']);
    expect(await names('陈')).toEqual(['伟 陈']);
  });

  it('finds a customer by its Stripe id and by its platform id, and keeps % and _ literal', async () => {
    expect(await names('cus_orsted')).toEqual(['Mette Ørsted']);
    expect(await names(PLATFORM_ID.toUpperCase())).toEqual(['Paula Platform']);
    expect(await names(platformCustomerId('cus_zoe', null, {}))).toEqual(['Zoë Saldaña']);
    expect(await names('100%_off')).toEqual(['Percy 100%_off']);
    expect(await names('%')).toEqual(['Percy 100%_off']);
    expect(await names('percy_')).toEqual([]);
  });

  it('applies the same match to the subscription search', async () => {
    const found = await searchSubscriptions(db.dataSource, { q: 'john ali' }, PAGE);
    expect(found.data).toEqual([]);
  });

  it('recomputes the search text of rows written before (migration)', async () => {
    await db.dataSource.query(`UPDATE customers SET search_text = lower(name)`);
    expect(await names('orsted')).toEqual([]);
    await new CustomerSearchFold1764000002900().up(db.dataSource.createQueryRunner());
    expect(await names('orsted')).toEqual(['Mette Ørsted']);
  });

  it('folds in TypeScript as in SQL', async () => {
    const samples = [
      'Ørsted',
      'Zoë',
      'Æsir Œuvre Straße Þór',
      'Łódź Đurić',
      'ＪＯＨＮ',
      'ﬁne',
      'Ange\u0301lique',
      '伟 陈',
    ];
    for (const sample of samples) {
      const [row] = (await db.dataSource.query(`SELECT ${searchFoldSql('$1::text')} AS folded`, [sample])) as {
        folded: string;
      }[];
      expect(row!.folded).toBe(searchFold(sample));
    }
    expect(searchWords('陈伟  Zoë')).toEqual(['陈', '伟', 'zoe']);
  });
});
