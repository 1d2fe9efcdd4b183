import { type EventRouting } from '@ledgerline/events';
import { allProjectors } from '@ledgerline/read-models';
import { PRODUCT_IMPORT_HANDLES } from '../src/product-import/product-import.routing';
import { STRIPE_SYNC_HANDLES } from '../src/stripe-sync/stripe-sync.routing';

export type ConsumerKind = 'read model' | 'process manager' | 'feed';

/** Code that reads events from the store, and the types it declares it handles. */
export interface EventConsumer {
  name: string;
  kind: ConsumerKind;
  handles: EventRouting;
}

/** Every consumer with a declaration: the columns of docs/event-routing.md. */
export function eventConsumers(): EventConsumer[] {
  const readModels = allProjectors().map((projector): EventConsumer => {
    if (!projector.handles) throw new Error(`projector ${projector.name} declares no handled event types`);
    return { name: projector.name, kind: 'read model', handles: projector.handles as EventRouting };
  });
  return [
    ...readModels,
    { name: 'stripe_sync', kind: 'process manager', handles: STRIPE_SYNC_HANDLES },
    { name: 'product_import', kind: 'process manager', handles: PRODUCT_IMPORT_HANDLES },
    // Feeds hand every event to their consumers; a consumer narrows them by prefix itself.
    { name: 'feeds', kind: 'feed', handles: 'all' },
  ];
}
