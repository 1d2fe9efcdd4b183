import type { EventFilter, RecordedEvent } from '@ledgerline/event-store';
import { filterOf, type LedgerlineEventType, type ProductLinkedToStripe } from '@ledgerline/events';
import type { ProjectionTransaction, Projector } from '@ledgerline/projections';
import { obj, str } from '../shared/stripe-values';
import { actorOf, occurredAtOf } from '../stripe-sync/platform-events';

/** A row of `product_links` (column names), as sent to json_to_recordset. */
interface ProductLinkRow {
  product_id: string;
  stripe_product_id: string | null;
  account: string | null;
  linked_at: string | null;
  linked_by: string | null;
  unlinked_at: string | null;
  unlinked_by: string | null;
  last_event_id: string;
  last_event_position: string;
}

const COLUMNS = `product_id text, stripe_product_id text, account text, linked_at timestamptz, linked_by text,
  unlinked_at timestamptz, unlinked_by text, last_event_id uuid, last_event_position bigint`;
const NAMES = COLUMNS.split(',').map((column) => column.trim().split(/\s+/)[0]!);

export const PRODUCT_LINKS_PROJECTION = 'product_links';

/**
 * Each platform product's link to a Stripe product, as its newest event (by store position) says.
 * An unlinked product keeps its row with no Stripe product and who unlinked it, so it stays
 * readable; every query of links takes rows with a Stripe product only.
 */
export class ProductLinksProjector implements Projector {
  readonly name = PRODUCT_LINKS_PROJECTION;
  readonly version = 1;
  readonly tables = ['product_links'];
  /** The newest event by position wins: applying an older one again changes nothing. */
  readonly replaySafe = true;
  readonly handles = [
    'ProductLinkedToStripe',
    'ProductUnlinkedFromStripe',
  ] as const satisfies readonly LedgerlineEventType[];
  readonly filter: EventFilter = filterOf(this.handles);

  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    return this.applyBatch([event], tx);
  }

  /** One statement: the batch folded to each product's newest row (one INSERT may touch a row once). */
  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const rows = new Map<string, ProductLinkRow>();
    for (const event of events) {
      const row = rowOf(event);
      const held = row && rows.get(row.product_id);
      if (row && (!held || BigInt(row.last_event_position) > BigInt(held.last_event_position))) {
        rows.set(row.product_id, row);
      }
    }
    if (!rows.size) return;
    const table = tx.table('product_links');
    await tx.query(
      `INSERT INTO ${table} AS t (${NAMES.join(', ')})
       SELECT ${NAMES.join(', ')} FROM json_to_recordset($1::json) AS x(${COLUMNS})
       ON CONFLICT (product_id) DO UPDATE SET
         ${NAMES.slice(1)
           .map((name) => `${name} = EXCLUDED.${name}`)
           .join(', ')}
       WHERE EXCLUDED.last_event_position > t.last_event_position`,
      [JSON.stringify([...rows.values()])],
    );
  }
}

function rowOf(event: RecordedEvent): ProductLinkRow | null {
  const data = obj(event.data);
  const productId = str(data?.productId);
  if (!data || !productId) return null;
  const when = occurredAtOf(event);
  const who = actorOf(event);
  const bookkeeping = {
    product_id: productId,
    last_event_id: event.id,
    last_event_position: event.position.toString(),
  };
  if (event.type === 'ProductLinkedToStripe') {
    const linked = data as unknown as ProductLinkedToStripe;
    return {
      ...bookkeeping,
      stripe_product_id: str(linked.stripeProductId),
      account: str(linked.stripeAccount),
      linked_at: when,
      linked_by: who,
      unlinked_at: null,
      unlinked_by: null,
    };
  }
  if (event.type === 'ProductUnlinkedFromStripe') {
    return {
      ...bookkeeping,
      stripe_product_id: null,
      account: null,
      linked_at: null,
      linked_by: null,
      unlinked_at: when,
      unlinked_by: who,
    };
  }
  return null;
}
