import type { EventFilter, RecordedEvent } from '@ledgerline/event-store';
import { filterOf, type LedgerlineEventType, normaliseStripeObject } from '@ledgerline/events';
import type { ProjectionTransaction, Projector } from '@ledgerline/projections';
import { type EventRowsTable, insertEventRows } from './event-rows-table';
import {
  type FoldedRow,
  foldPartial,
  foldSnapshot,
  type SnapshotContext,
  type SnapshotTable,
  upsertSnapshots,
} from './snapshot-table';
import { stripeObjectOf } from './stripe-refs';

export interface StripeSnapshotProjectorOptions {
  name: string;
  version: number;
  /**
   * Exactly the event types this projector reads, the platform types of its tables
   * (`platformEvents`) included: the store filters out the rest before they are loaded.
   */
  handles: readonly LedgerlineEventType[];
  snapshots: SnapshotTable[];
  eventRows?: EventRowsTable[];
}

/**
 * A projector of Stripe objects into typed tables (and of the platform's partial snapshots of them). A batch is folded in memory (one row per object
 * and table) and written with one statement per table, with exactly the effect of applying its
 * events one by one, in any order (see foldSnapshot).
 */
export class StripeSnapshotProjector implements Projector {
  readonly name: string;
  readonly version: number;
  readonly handles: readonly LedgerlineEventType[];
  readonly filter: EventFilter;
  readonly tables: string[];
  /** The snapshot tables it writes (their columns are checked against the migrated schema). */
  readonly snapshots: readonly SnapshotTable[];
  /** Newest-wins folds and insert-only event rows: an event applied again changes nothing. */
  readonly replaySafe = true;

  constructor(private readonly options: StripeSnapshotProjectorOptions) {
    this.name = options.name;
    this.version = options.version;
    this.snapshots = options.snapshots;
    // A table's platform fold the filter left out would silently never run: refuse to start.
    const platformTypes = options.snapshots.flatMap((t) => Object.keys(t.platformEvents ?? {}));
    const undeclared = platformTypes.filter((type) => !(options.handles as readonly string[]).includes(type));
    if (undeclared.length) throw new Error(`${options.name} folds ${undeclared.join(', ')} but does not declare them`);
    this.handles = options.handles;
    this.filter = filterOf(options.handles);
    this.tables = [...options.snapshots.map((t) => t.table), ...(options.eventRows ?? []).map((t) => t.table)];
  }

  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    return this.applyBatch([event], tx);
  }

  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const { folded, inserted } = foldEvents(this.options.snapshots, this.options.eventRows ?? [], events);
    for (const [table, rows] of folded) await upsertSnapshots(table, [...rows.values()], tx);
    for (const [table, rows] of inserted) await insertEventRows(table, rows, tx);
  }
}

export interface FoldedEvents {
  /** Per table, the batch's rows folded in memory: one per key. */
  folded: Map<SnapshotTable, Map<string, FoldedRow>>;
  inserted: Map<EventRowsTable, Record<string, unknown>[]>;
}

/**
 * The projector's fold of events into rows, in memory. The projector writes its result with
 * upsertSnapshots; time travel (libs/read-models/src/history) folds an entity's past with it, so
 * the two can never disagree about what an event means.
 */
export function foldEvents(
  snapshots: readonly SnapshotTable[],
  eventRows: readonly EventRowsTable[],
  events: readonly RecordedEvent[],
): FoldedEvents {
  const folded = new Map<SnapshotTable, Map<string, FoldedRow>>();
  const inserted = new Map<EventRowsTable, Record<string, unknown>[]>();
  const rowsOf = (table: SnapshotTable) => {
    const rows = folded.get(table) ?? new Map<string, FoldedRow>();
    folded.set(table, rows);
    return rows;
  };
  for (const event of events) {
    if (event.metadata.source === 'platform') {
      for (const table of snapshots) {
        const read = table.platformEvents && Object.hasOwn(table.platformEvents, event.type);
        for (const partial of read ? table.platformEvents![event.type]!(event) : []) {
          const rows = rowsOf(table);
          rows.set(partial.key, foldPartial(table, rows.get(partial.key), partial, event));
        }
      }
      continue;
    }
    const found = stripeObjectOf(event);
    if (!found) continue;
    const object = normaliseStripeObject(found.object);
    const account = typeof found.payload.account === 'string' ? found.payload.account : null;
    const context: SnapshotContext = { event, payload: found.payload, account };
    for (const table of snapshots) {
      const objects = table.objectTypes.includes(String(object.object)) ? [object] : [];
      objects.push(...(table.nestedIn?.(object) ?? []));
      for (const candidate of objects) {
        if (typeof candidate.id !== 'string' || candidate.id === '') continue;
        const rows = rowsOf(table);
        const key = table.keyOf?.(candidate, context) ?? candidate.id;
        rows.set(key, foldSnapshot(table, rows.get(key), key, candidate, context));
      }
    }
    for (const table of eventRows) {
      const rows = table.rowsOf(object, context);
      if (rows.length) inserted.set(table, [...(inserted.get(table) ?? []), ...rows]);
    }
  }
  return { folded, inserted };
}
