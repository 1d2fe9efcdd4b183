import { EVENT_STORE_MIGRATIONS } from '@ledgerline/event-store';
import { ProjectionEngine1763900000000 } from '@ledgerline/projections';
import { StripeObjects1763900000100 } from '@ledgerline/read-models';

/** Read-model migrations of every lib, in order. The event store's own schema is listed apart. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const READ_MODEL_MIGRATIONS: Function[] = [ProjectionEngine1763900000000, StripeObjects1763900000100];

export { EVENT_STORE_MIGRATIONS };
