import type { EventFilter } from '@ledgerline/event-store';
import { customerStream, subscriptionStream } from '@ledgerline/events';
import { customersProjector } from '../customers/customers.projector';
import { customersTable } from '../customers/customers.table';
import type { SnapshotTable } from '../shared/snapshot-table';
import { subscriptionsProjector } from '../subscriptions/subscriptions.projector';
import { subscriptionsTable } from '../subscriptions/subscriptions.table';

export type EntityKind = 'customer' | 'subscription';

/**
 * An entity whose past can be asked for: the read-model table whose fold defines it, and the
 * event types its projector reads (the projector's own filter, so both see the same events).
 */
export interface HistoryEntity {
  kind: EntityKind;
  table: SnapshotTable;
  filter: EventFilter;
  /** The platform stream an id names, read even before the history projector has seen it. */
  platformStream(key: string): string;
}

export const HISTORY_ENTITIES: readonly HistoryEntity[] = [
  { kind: 'customer', table: customersTable, filter: customersProjector().filter, platformStream: customerStream },
  {
    kind: 'subscription',
    table: subscriptionsTable,
    filter: subscriptionsProjector().filter,
    platformStream: subscriptionStream,
  },
];

export function historyEntity(kind: EntityKind): HistoryEntity {
  return HISTORY_ENTITIES.find((entity) => entity.kind === kind)!;
}
