import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionStore } from '@ledgerline/projections';
import { arrival, platformEvent, readModelDatabase, type TestEvent } from '../shared/testing/read-model-events';
import { ProductLinks1764000001800 } from './product-links.migration';
import { ProductLinksProjector } from './product-links.projector';
import { findProductLink } from './product-links.query';

const T = 1_790_000_000;
const linked = (productId: string, stripeProductId: string, previous: string | null, at: number) =>
  platformEvent('ProductLinkedToStripe', at, {
    productId,
    stripeProductId,
    stripeAccount: null,
    previousStripeProductId: previous,
  });
const unlinked = (productId: string, stripeProductId: string, at: number) =>
  platformEvent('ProductUnlinkedFromStripe', at, { productId, stripeProductId, stripeAccount: null });

describe('product_links projector', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const projector = new ProductLinksProjector();
  const rows = () => db.dataSource.query(`SELECT * FROM product_links ORDER BY product_id`);

  beforeAll(async () => {
    db = await readModelDatabase('product_links');
    await new ProductLinks1764000001800().up(db.dataSource.createQueryRunner());
  });
  afterAll(() => db?.close());

  const story: TestEvent[] = [
    linked('magazine', 'prod_print', null, T),
    linked('paper', 'prod_paper', null, T + 1),
    linked('magazine', 'prod_digital', 'prod_print', T + 2),
    unlinked('paper', 'prod_paper', T + 3),
  ];

  it('keeps each product at its newest event, one event or one batch at a time alike', async () => {
    await db.feed([projector], story, 1);
    const oneByOne = await rows();
    await db.dataSource.query(`TRUNCATE product_links`);
    await db.feed([projector], story, 10);
    expect(await rows()).toEqual(
      oneByOne.map((row: Record<string, unknown>) => ({
        ...row,
        last_event_position: String(Number(row.last_event_position) + story.length),
      })),
    );
    expect(await findProductLink(db.dataSource, 'magazine')).toMatchObject({
      stripeProductId: 'prod_digital',
      linkedBy: 'alice',
      linkedAt: new Date(T * 1000 + 2000).toISOString(),
      unlinkedAt: null,
    });
    expect(await findProductLink(db.dataSource, 'paper')).toMatchObject({
      stripeProductId: null,
      linkedAt: null,
      unlinkedBy: 'alice',
      activeSubscriptions: 0,
    });
  });

  it('changes nothing when an older event is applied again (replay-safe)', async () => {
    const before = await rows();
    const [first] = arrival(story.slice(0, 1));
    await new ProjectionStore(db.dataSource).transaction((tx) => projector.apply(first!, tx));
    expect(await rows()).toEqual(before);
  });
});
