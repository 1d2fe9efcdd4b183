import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import type { RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore, type Projector } from '@ledgerline/projections';
import { createTestDatabase, loadObjectFixture, runMigrations } from '@ledgerline/testing';
import { SUPPORT_READ_MODEL_MIGRATIONS } from '../../support-migrations';

/** Test events: ids are fixed when made (as in the store), positions are given on arrival. */
export type TestEvent = Omit<RecordedEvent, 'position'>;

let made = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++made).padStart(12, '0')}`;

/** A Stripe event as the webhook stores it, around a real Stripe object shape (openapi fixture) with overrides. */
export function stripeEvent(
  type: string,
  created: number,
  resource: 'customer' | 'subscription' | 'coupon',
  object: Record<string, unknown>,
): TestEvent {
  const full = { ...loadObjectFixture(resource), ...object };
  return {
    id: nextId(),
    type,
    stream: `stripe_${resource}-${String(full.id)}`,
    revision: 0n,
    data: { id: `evt_${made}`, object: 'event', type, created, data: { object: full } },
    metadata: { source: 'stripe', recordedAt: new Date(0).toISOString() },
  };
}

/** A platform event (libs/events/src/platform) that happened at `at` (Unix seconds, or ms for sub-second). */
export function platformEvent(type: string, at: number, data: Record<string, unknown>): TestEvent {
  return {
    id: nextId(),
    type,
    stream: data.subscriptionId ? `subscription-${String(data.subscriptionId)}` : `customer-${String(data.customerId)}`,
    revision: 0n,
    data,
    metadata: {
      source: 'platform',
      occurredAt: new Date(at < 1e11 ? at * 1000 : at).toISOString(),
      actor: 'alice',
      recordedAt: new Date(0).toISOString(),
    },
  };
}

/** Positions follow arrival order, as in the store. */
export function arrival(events: TestEvent[], after = 0n): RecordedEvent[] {
  return events.map((event, index) => ({ ...event, position: after + BigInt(index + 1) }));
}

/** A database with the support read models' tables, and a way to run projectors over events. */
export async function readModelDatabase(name: string) {
  const database = await createTestDatabase(name);
  await runMigrations(database.url, SUPPORT_READ_MODEL_MIGRATIONS);
  const dataSource: DataSource = await createDataSource(database.url, []).initialize();
  const projections = new ProjectionStore(dataSource);
  let position = 0n;
  return {
    dataSource,
    /** Arriving in this order (after all fed before), applied `batchSize` at a time by every projector. */
    async feed(projectors: Projector[], events: TestEvent[], batchSize = 1): Promise<void> {
      const recorded = arrival(events, position);
      position += BigInt(events.length);
      for (let i = 0; i < recorded.length; i += batchSize) {
        const batch = recorded.slice(i, i + batchSize);
        for (const projector of projectors) {
          await projections.transaction((tx) => projector.applyBatch!(batch, tx));
        }
      }
    },
    async close(): Promise<void> {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
