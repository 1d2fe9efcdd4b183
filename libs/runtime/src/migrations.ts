import { EVENT_STORE_MIGRATIONS } from '@ledgerline/event-store';

/** Read-model migrations of every lib, in order. The event store's own schema is listed apart. */
export const READ_MODEL_MIGRATIONS: Function[] = []; // eslint-disable-line @typescript-eslint/no-unsafe-function-type

export { EVENT_STORE_MIGRATIONS };
