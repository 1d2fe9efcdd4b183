import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EVENT_STORE_MIGRATIONS,
  type EventStore,
  InvalidAppendError,
  PostgresEventStore,
} from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { AggregateStore, CONCURRENCY_ATTEMPTS, type Loaded } from './aggregate-store';
import { commandContext } from './command-context';
import { CommandRejected } from './command-errors';
import type { DecidedEvent, Evolver } from './decider';

/** Counts the stream's events: enough state to see which revision a decision was made on. */
const counter: Evolver<number> = { initialState: () => 0, evolve: (count) => count + 1 };

describe('AggregateStore.decideAndAppend over the PostgreSQL event store', () => {
  let database: TestDatabase;
  let store: EventStore;
  let aggregates: AggregateStore;
  const context = commandContext({ actor: 'support-tester' });

  beforeAll(async () => {
    database = await createTestDatabase('aggregate_store');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 100 });
    aggregates = new AggregateStore(store);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  /** Another command appending to the stream between this one's read and its append. */
  const appendBehindItsBack = (stream: string) =>
    store.append(stream, [{ type: 'CountedElsewhere', data: {}, metadata: { source: 'platform' } }]);

  /**
   * A command on a fresh stream that records how often it read the aggregate; `decide` gets the
   * attempt number (from 1) besides the aggregate.
   */
  function countingCommand(decide: (aggregate: Loaded<number>, attempt: number) => Promise<DecidedEvent[]>) {
    const stream = `counter-${randomUUID()}`;
    let reads = 0;
    return {
      stream,
      reads: () => reads,
      command: {
        name: `counter ${stream}`,
        read: () => {
          reads += 1;
          return aggregates.load(stream, counter);
        },
        decide: (aggregate: Loaded<number>) => decide(aggregate, reads),
      },
    };
  }

  it('reads and decides again on the new state after losing a race, and appends that decision', async () => {
    const { stream, reads, command } = countingCommand(async ({ state }, attempt) => {
      if (attempt === 1) await appendBehindItsBack(stream);
      return [{ type: 'Counted', data: { seen: state } }];
    });

    const { aggregate, events } = await aggregates.decideAndAppend(context, command);

    expect(reads()).toBe(2);
    expect(aggregate).toMatchObject({ stream, state: 1, revision: 0n });
    expect(events).toEqual([expect.objectContaining({ type: 'Counted', stream, revision: '1' })]);
    const stored = await store.readStream(stream);
    expect(stored.map((event) => [event.type, event.data])).toEqual([
      ['CountedElsewhere', {}],
      ['Counted', { seen: 1 }],
    ]);
  });

  it(`refuses the command as a conflict (409) after ${CONCURRENCY_ATTEMPTS} lost races, appending none of its events`, async () => {
    const { stream, reads, command } = countingCommand(async () => {
      await appendBehindItsBack(stream);
      return [{ type: 'Counted', data: {} }];
    });

    const refusal = await aggregates.decideAndAppend(context, command).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(CommandRejected);
    expect(refusal).toMatchObject({
      kind: 'conflict',
      problems: [
        `counter ${stream} was changed by other commands while this one was decided ` +
          `(${CONCURRENCY_ATTEMPTS} attempts); try again`,
      ],
    });
    expect(reads()).toBe(CONCURRENCY_ATTEMPTS);
    const stored = await store.readStream(stream);
    expect(stored.map((event) => event.type)).toEqual(Array(CONCURRENCY_ATTEMPTS).fill('CountedElsewhere'));
  });

  it('names the stream in the conflict when the command gives no name', async () => {
    const { stream, command } = countingCommand(async () => {
      await appendBehindItsBack(stream);
      return [{ type: 'Counted', data: {} }];
    });

    await expect(aggregates.decideAndAppend(context, { ...command, name: undefined })).rejects.toThrow(
      `${stream} was changed by other commands`,
    );
  });

  it.each([
    [
      'a refusal of the decision',
      async () => {
        throw CommandRejected.invalid('amount must be positive');
      },
      CommandRejected,
    ],
    [
      'an append the store refuses for another reason than the revision',
      // JSON cannot carry a bigint: the store refuses the append before looking at the revision.
      async () => [{ type: 'Counted', data: { seen: 1n } }],
      InvalidAppendError,
    ],
  ])('does not retry %s', async (_reason, decide, expected) => {
    const { stream, reads, command } = countingCommand(decide);

    await expect(aggregates.decideAndAppend(context, command)).rejects.toBeInstanceOf(expected);

    expect(reads()).toBe(1);
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('appends nothing when the decision is to do nothing', async () => {
    const { stream, command } = countingCommand(async () => []);

    expect(await aggregates.decideAndAppend(context, command)).toMatchObject({ decided: [], events: [] });
    expect(await store.readStream(stream)).toEqual([]);
  });
});
