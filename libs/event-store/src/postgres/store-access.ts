import type { PoolClient } from 'pg';
import type { ReadAllOptions, ReadAllResult } from '../event-store.port';
import type { AppendNotifier } from './append-notifier';

/** What subscriptions and consumer groups need of the store; keeps them free of an import cycle. */
export interface PostgresStoreAccess {
  readonly notifier: AppendNotifier;
  readonly pollIntervalMs: number;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  readForSubscription(
    reader: { position: bigint },
    from: bigint,
    maxCount: number,
    filter?: ReadAllOptions['filter'],
  ): Promise<ReadAllResult>;
  headPosition(): Promise<bigint>;
  readCheckpoint(checkpointId: string): Promise<bigint | null>;
  storeCheckpoint(checkpointId: string, position: bigint): Promise<void>;
  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}
