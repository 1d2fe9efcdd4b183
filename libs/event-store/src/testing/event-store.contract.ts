import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ConsumerGroupExistsError,
  ConsumerGroupNotFoundError,
  IdempotencyConflictError,
  InvalidAppendError,
  NotOutstandingError,
  WrongExpectedRevisionError,
} from '../errors';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { MAX_JSON_DEPTH, MAX_STREAM_NAME_LENGTH } from '../append-validation';

/** `levels` objects nested in one another (the outermost is level 1). */
function nestedObjects(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { bottom: true };
  for (let level = 1; level < levels; level++) value = { n: value };
  return value;
}

export interface ContractTarget {
  /** A new store instance on the same backend (a second call stands for a process restart). */
  connect(): Promise<EventStore>;
}

/**
 * The event store contract, run against every adapter. Tests isolate themselves by unique stream
 * categories instead of a fresh store, so the suite also runs against a shared EventStoreDB.
 */
export function describeEventStoreContract(name: string, target: () => ContractTarget): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    const opened: EventStore[] = [];
    const connect = async (): Promise<EventStore> => {
      const instance = await target().connect();
      opened.push(instance);
      return instance;
    };

    beforeAll(async () => {
      store = await connect();
    });
    afterAll(async () => {
      await Promise.all(opened.map((instance) => instance.close()));
    });

    describe('append and read a stream', () => {
      it('numbers revisions from 0 and reads forwards, backwards and from a revision', async () => {
        const stream = `${category()}-1`;
        const first = await store.append(stream, [event('A', { n: 1 }), event('B', { n: 2 })]);
        const second = await store.append(stream, [event('C', { n: 3 })]);
        expect(first.duplicate).toBe(false);
        expect(first.events.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(second.nextExpectedRevision).toBe(2n);
        expect(second.events[0]!.position).toBeGreaterThan(first.events[1]!.position);

        const forwards = await store.readStream(stream);
        expect(forwards.map((e) => [e.type, e.revision, e.data])).toEqual([
          ['A', 0n, { n: 1 }],
          ['B', 1n, { n: 2 }],
          ['C', 2n, { n: 3 }],
        ]);
        const backwards = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        expect(backwards.map((e) => e.type)).toEqual(['C', 'B']);
        const fromOne = await store.readStream(stream, { fromRevision: 1n });
        expect(fromOne.map((e) => e.type)).toEqual(['B', 'C']);
        const backFromOne = await store.readStream(stream, { direction: 'backwards', fromRevision: 1n });
        expect(backFromOne.map((e) => e.type)).toEqual(['B', 'A']);
        expect(await store.readStream(`${category()}-missing`)).toEqual([]);
      });

      it('stores metadata and stamps recordedAt', async () => {
        const stream = `${category()}-meta`;
        const before = Date.now();
        const meta = {
          source: 'platform' as const,
          actor: 'support:alice',
          correlationId: randomUUID(),
          schemaVersion: 2,
        };
        await store.append(stream, [{ type: 'CustomerRegistered', data: { name: 'Ada' }, metadata: meta }]);
        const [stored] = await store.readStream(stream);
        expect(stored!.metadata).toMatchObject(meta);
        expect(Date.parse(stored!.metadata.recordedAt)).toBeGreaterThanOrEqual(before - 5_000);
        expect(stored!.stream).toBe(stream);
        expect(await store.readEventById(stored!.id)).toMatchObject({ id: stored!.id, stream, revision: 0n });
        expect(await store.readEventById(randomUUID())).toBeNull();
      });
    });

    it('keeps data and metadata intact whatever their characters and size, in one append and many', async () => {
      const stream = `${category()}-text`;
      const text = 'Zürich, 東京, emoji 🧾, quote " backslash \\ apostrophe \' tab \t newline \n';
      const big = 'é'.repeat(150_000); // 300 KB of two-byte characters
      const events = [
        event('Unicode', { text, nested: { list: [text, 1.5, null, true] } }),
        { type: 'Big', data: { big }, metadata: { source: 'system' as const, note: text } },
      ];
      // Many appends at once share one batch: each payload must land in its own row.
      const others = Array.from({ length: 20 }, (_, i) => store.append(`${stream}${i}`, [event('Small', { i, text })]));
      await store.append(stream, events);
      await Promise.all(others);

      const stored = await store.readStream(stream);
      expect(stored.map((e) => e.data)).toEqual([{ text, nested: { list: [text, 1.5, null, true] } }, { big }]);
      expect(stored[1]!.metadata.note).toBe(text);
      for (let i = 0; i < 20; i++) {
        expect((await store.readStream(`${stream}${i}`)).map((e) => e.data)).toEqual([{ i, text }]);
      }
    });

    describe('expected revision', () => {
      it('enforces no_stream, stream_exists and an exact revision, reporting the actual one', async () => {
        const stream = `${category()}-1`;
        await expect(store.append(stream, [event('A')], { expectedRevision: 'stream_exists' })).rejects.toThrow(
          WrongExpectedRevisionError,
        );
        await store.append(stream, [event('A')], { expectedRevision: 'no_stream' });
        await expect(store.append(stream, [event('B')], { expectedRevision: 'no_stream' })).rejects.toThrow(
          WrongExpectedRevisionError,
        );
        const wrong = await store.append(stream, [event('B')], { expectedRevision: 5n }).catch((e: unknown) => e);
        expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
        expect((wrong as WrongExpectedRevisionError).actual).toBe(0n);
        expect((wrong as Error).message).toContain(stream);
        await store.append(stream, [event('B')], { expectedRevision: 0n });
        await store.append(stream, [event('C')], { expectedRevision: 'stream_exists' });
        await store.append(stream, [event('D')], { expectedRevision: 'any' });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      });

      it('lets exactly one of many concurrent writers with the same expected revision win', async () => {
        const stream = `${category()}-race`;
        await store.append(stream, [event('Opened')]);
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.append(stream, [event('Raced', { i })], { expectedRevision: 0n })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected).toHaveLength(9);
        for (const r of rejected) expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('idempotent append by event id', () => {
      it('stores an event id once and reports the second append as a duplicate', async () => {
        const stream = `${category()}-1`;
        const id = randomUUID();
        const first = await store.append(stream, [event('Paid', { amount: 100 }, id)]);
        const again = await store.append(stream, [event('Paid', { amount: 100 }, id)]);
        expect(first.duplicate).toBe(false);
        expect(again.duplicate).toBe(true);
        expect(again.events).toEqual(first.events);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('stores one event when twenty appends of the same id race', async () => {
        const stream = `${category()}-1`;
        const id = randomUUID();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.append(stream, [event('Paid', { amount: 100 }, id)])),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(results.filter((r) => r.duplicate)).toHaveLength(19);
        expect(new Set(results.map((r) => r.events[0]!.position)).size).toBe(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('still recognises the id after a restart', async () => {
        const stream = `${category()}-1`;
        const id = randomUUID();
        await store.append(stream, [event('Paid', {}, id)]);
        const restarted = await connect();
        const again = await restarted.append(stream, [event('Paid', {}, id)]);
        expect(again.duplicate).toBe(true);
        expect(await restarted.readStream(stream)).toHaveLength(1);
      });

      it('refuses an append whose ids are partly stored, storing none of it', async () => {
        const stream = `${category()}-1`;
        const id = randomUUID();
        await store.append(stream, [event('A', {}, id)]);
        await expect(store.append(stream, [event('A', {}, id), event('B')])).rejects.toThrow(IdempotencyConflictError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('bad input', () => {
      it.each([
        ['an empty stream name', '', [event('A')], {}],
        ['a blank stream name', '   ', [event('A')], {}],
        ['no events', 'ok-1', [], {}],
        ['an unknown expected revision string', 'ok-1', [event('A')], { expectedRevision: 'latest' }],
        ['a negative expected revision', 'ok-1', [event('A')], { expectedRevision: -1n }],
        ['an expected revision given as a number', 'ok-1', [event('A')], { expectedRevision: 3 }],
        ['a bigint in the payload', 'ok-1', [event('A', { amount: 10n })], {}],
        ['a function in the payload', 'ok-1', [event('A', { f: () => 1 })], {}],
        ['NaN in the payload', 'ok-1', [event('A', { amount: NaN })], {}],
        ['a Date in the payload', 'ok-1', [event('A', { at: new Date() })], {}],
        ['an id that is not a UUID', 'ok-1', [event('A', {}, 'evt_123')], {}],
        ['an empty event type', 'ok-1', [event('', {})], {}],
        // Deeper than every reader can take (JSON.stringify overflows the stack near a few thousand).
        ['a payload nested 10,000 deep', 'ok-1', [event('A', nestedObjects(10_000))], {}],
        ['a payload one level deeper than MAX_JSON_DEPTH', 'ok-1', [event('A', nestedObjects(MAX_JSON_DEPTH + 1))], {}],
      ])('rejects %s with InvalidAppendError and stores nothing', async (_label, suffix, events, options) => {
        const stream = suffix.trim() ? `${category()}-${suffix}` : suffix;
        await expect(store.append(stream, events as NewEvent[], options as never)).rejects.toThrow(InvalidAppendError);
        if (stream.trim()) expect(await store.readStream(stream)).toEqual([]);
      });

      it('rejects a stream name longer than MAX_STREAM_NAME_LENGTH, and stores a name that long', async () => {
        const prefix = `${category()}-`;
        const name = (length: number) => prefix.padEnd(length, 'x');
        await expect(store.append(name(MAX_STREAM_NAME_LENGTH + 1), [event('A')])).rejects.toThrow(InvalidAppendError);
        await store.append(name(MAX_STREAM_NAME_LENGTH), [event('A')]);
        expect(await store.readStream(name(MAX_STREAM_NAME_LENGTH))).toHaveLength(1);
      });

      it('stores a payload nested exactly MAX_JSON_DEPTH deep, and reads it back', async () => {
        const stream = `${category()}-1`;
        await store.append(stream, [event('A', nestedObjects(MAX_JSON_DEPTH))]);
        expect((await store.readStream(stream))[0]!.data).toEqual(nestedObjects(MAX_JSON_DEPTH));
      });

      it('rejects a payload with a cycle', async () => {
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic.self = cyclic;
        await expect(store.append(`${category()}-1`, [event('A', cyclic)])).rejects.toThrow(InvalidAppendError);
      });

      it('stores nothing of a multi-event append when one event is invalid', async () => {
        const stream = `${category()}-1`;
        await expect(store.append(stream, [event('A', { ok: true }), event('B', { bad: Infinity })])).rejects.toThrow(
          InvalidAppendError,
        );
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('read all', () => {
      it('reads forwards and backwards from a position, filtered by category and type prefix', async () => {
        const cat = category();
        const other = category();
        const start = await store.headPosition();
        await store.append(`${cat}-a`, [event('invoice.paid'), event('invoice.created')]);
        await store.append(`${other}-b`, [event('invoice.paid')]);
        await store.append(`${cat}-c`, [event('charge.succeeded')]);

        const byCategory = await readAllFrom(store, start, { categories: [cat] });
        expect(byCategory.map((e) => e.type)).toEqual(['invoice.paid', 'invoice.created', 'charge.succeeded']);
        const byType = await readAllFrom(store, start, { categories: [cat, other], eventTypePrefixes: ['invoice.'] });
        expect(byType.map((e) => `${e.stream}:${e.type}`)).toEqual([
          `${cat}-a:invoice.paid`,
          `${cat}-a:invoice.created`,
          `${other}-b:invoice.paid`,
        ]);
        const positions = byCategory.map((e) => e.position);
        expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);

        const back = await store.readAll({ direction: 'backwards', maxCount: 2, filter: { categories: [cat] } });
        expect(back.events.map((e) => e.type)).toEqual(['charge.succeeded', 'invoice.created']);
        const page = await store.readAll({ from: start, maxCount: 1, filter: { categories: [cat] } });
        expect(page.events).toHaveLength(1);
        const next = await store.readAll({ from: page.nextFrom, maxCount: 1, filter: { categories: [cat] } });
        expect(next.events[0]!.type).toBe('invoice.created');
        expect(await store.headPosition()).toBeGreaterThanOrEqual(positions[positions.length - 1]!);
      });

      it('filters by exact event type: no prefix match, combined with categories and prefixes', async () => {
        const cat = category();
        const other = category();
        const start = await store.headPosition();
        await store.append(`${cat}-a`, [event('invoice.paid'), event('invoice.paid.extra'), event('invoice.created')]);
        await store.append(`${other}-b`, [event('invoice.paid'), event('invoice.payment_failed')]);
        await store.append(`${cat}-c`, [event('Invoice.paid'), event('invoice.updated')]);
        const typesOf = (events: RecordedEvent[]) => events.map((e) => `${e.stream}:${e.type}`);

        const exact = await readAllFrom(store, start, { categories: [cat, other], eventTypes: ['invoice.paid'] });
        expect(typesOf(exact)).toEqual([`${cat}-a:invoice.paid`, `${other}-b:invoice.paid`]);
        const inCategory = await readAllFrom(store, start, {
          categories: [cat],
          eventTypes: ['invoice.paid', 'invoice.updated', 'invoice.payment_failed'],
        });
        expect(typesOf(inCategory)).toEqual([`${cat}-a:invoice.paid`, `${cat}-c:invoice.updated`]);
        // Every list given must match: an exact type outside the prefixes is not read.
        const both = await readAllFrom(store, start, {
          categories: [cat, other],
          eventTypes: ['invoice.created', 'invoice.payment_failed'],
          eventTypePrefixes: ['invoice.pay'],
        });
        expect(typesOf(both)).toEqual([`${other}-b:invoice.payment_failed`]);

        const seen: string[] = [];
        const sub = store.subscribeToAll({
          from: start,
          batchSize: 1,
          filter: { categories: [cat, other], eventTypes: ['invoice.created', 'invoice.updated'] },
          handler: async (events) => {
            seen.push(...typesOf(events));
          },
        });
        await sub.caughtUp;
        await sub.stop();
        expect(seen).toEqual([`${cat}-a:invoice.created`, `${cat}-c:invoice.updated`]);
      });
    });

    describe('catch-up subscriptions', () => {
      it('gives one live subscriber every event of 8 concurrent writers x 1,000 exactly once, in order', async () => {
        const cat = category();
        const writers = 8;
        const perWriter = 1_000;
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          from: 'end',
          filter: { categories: [cat] },
          handler: async (events) => {
            seen.push(...events);
          },
        });
        await subscription.caughtUp;
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            for (let i = 0; i < perWriter; i++) {
              await store.append(`${cat}-${writer}`, [event('Tick', { writer, i })]);
            }
          }),
        );
        await waitFor(() => seen.length >= writers * perWriter, 60_000);
        await subscription.stop();

        expect(seen).toHaveLength(writers * perWriter);
        expect(new Set(seen.map((e) => e.id)).size).toBe(writers * perWriter);
        for (let i = 1; i < seen.length; i++) expect(seen[i]!.position > seen[i - 1]!.position).toBe(true);
        for (let writer = 0; writer < writers; writer++) {
          const mine = seen.filter((e) => e.stream === `${cat}-${writer}`).map((e) => (e.data as { i: number }).i);
          expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
        }
      }, 180_000);

      it('resumes from its checkpoint after a stop and a restart: nothing lost, nothing repeated', async () => {
        const cat = category();
        const checkpointId = `contract-${randomUUID()}`;
        for (let i = 0; i < 30; i++) await store.append(`${cat}-${i % 3}`, [event('Step', { i })]);

        const firstRun: number[] = [];
        const first = store.subscribeToAll({
          checkpointId,
          filter: { categories: [cat] },
          batchSize: 7,
          handler: async (events) => {
            firstRun.push(...events.map((e) => (e.data as { i: number }).i));
          },
        });
        await first.caughtUp;
        await first.stop();
        expect(firstRun.sort((a, b) => a - b)).toEqual(range(0, 30));
        for (let i = 30; i < 50; i++) await store.append(`${cat}-${i % 3}`, [event('Step', { i })]);

        const restarted = await connect();
        expect(await restarted.readCheckpoint(checkpointId)).toBe(first.position);
        const secondRun: number[] = [];
        const second = restarted.subscribeToAll({
          checkpointId,
          filter: { categories: [cat] },
          handler: async (events) => {
            secondRun.push(...events.map((e) => (e.data as { i: number }).i));
          },
        });
        await second.caughtUp;
        await waitFor(() => secondRun.length >= 20, 10_000);
        await second.stop();
        expect(secondRun.sort((a, b) => a - b)).toEqual(range(30, 50));
      });

      it('finds rare matches far apart in a long log, reading on until the head', async () => {
        const cat = category();
        const start = await store.headPosition();
        const hits = [0, 12_345, 24_999];
        for (let i = 0; i < 25_000; i += 1_000) {
          const batch = range(i, i + 1_000).map((n) => event(hits.includes(n) ? 'rare.hit' : 'noise.tick', { n }));
          await store.append(`${cat}-${i / 1_000}`, batch);
        }
        const filter = { categories: [cat], eventTypePrefixes: ['rare.'] };
        const read: number[] = [];
        let from = start;
        for (let reads = 0; reads < 100; reads++) {
          const page = await store.readAll({ from, maxCount: 2, filter });
          read.push(...page.events.map((e) => (e.data as { n: number }).n));
          if (page.nextFrom === from) break;
          expect(page.nextFrom).toBeGreaterThan(from);
          from = page.nextFrom;
        }
        expect(read).toEqual(hits);
        expect(from).toBe(await store.headPosition());

        const seen: number[] = [];
        const sub = store.subscribeToAll({
          from: start,
          batchSize: 2,
          filter,
          handler: async (events) => {
            seen.push(...events.map((e) => (e.data as { n: number }).n));
          },
        });
        await sub.caughtUp;
        await sub.stop();
        expect(seen).toEqual(hits);
      }, 60_000);

      it('filters by event type prefix and stops with the handler error', async () => {
        const cat = category();
        const start = await store.headPosition();
        await store.append(`${cat}-1`, [event('customer.created'), event('invoice.paid'), event('customer.updated')]);
        const types: string[] = [];
        const sub = store.subscribeToAll({
          from: start,
          filter: { categories: [cat], eventTypePrefixes: ['customer.'] },
          handler: async (events) => {
            types.push(...events.map((e) => e.type));
          },
        });
        await sub.caughtUp;
        await sub.stop();
        expect(types).toEqual(['customer.created', 'customer.updated']);

        const failing = store.subscribeToAll({
          from: start,
          filter: { categories: [cat] },
          handler: async () => {
            throw new Error('projector exploded');
          },
        });
        await expect(failing.done).rejects.toThrow('projector exploded');
      });
    });

    describe('consumer groups', () => {
      it('shares work between members and redelivers a killed member’s unacked events to another', async () => {
        const cat = category();
        const group = `g-${randomUUID()}`;
        await store.consumerGroups.create(group, {
          filter: { categories: [cat] },
          ackTimeoutMs: 1_000,
          maxDeliveries: 5,
        });
        for (let i = 0; i < 20; i++) await store.append(`${cat}-${i % 4}`, [event('Job', { i })]);

        const killed = await store.consumerGroups.join(group, 'member-killed');
        const survivor = await store.consumerGroups.join(group, 'member-survivor');
        const lost = await killed.receive(5, 5_000);
        expect(lost).toHaveLength(5);
        // `killed` dies here: it never acks and never closes.

        const handled = new Map<number, number>();
        const deadline = Date.now() + 20_000;
        while (handled.size < 20 && Date.now() < deadline) {
          const batch = await survivor.receive(4, 500);
          for (const delivery of batch) {
            const i = (delivery.event.data as { i: number }).i;
            handled.set(i, (handled.get(i) ?? 0) + 1);
          }
          await survivor.ack(batch.map((d) => d.event.id));
        }
        expect([...handled.keys()].sort((a, b) => a - b)).toEqual(range(0, 20));
        for (const delivery of lost) {
          expect(handled.get((delivery.event.data as { i: number }).i)).toBe(1);
        }
        await expect(killed.ack([lost[0]!.event.id])).rejects.toThrow(NotOutstandingError);
        const info = await store.consumerGroups.get(group);
        expect(info.outstanding).toBe(0);
        expect(info.checkpoint).toBeGreaterThanOrEqual(lost[lost.length - 1]!.event.position);
        await survivor.close();
      }, 60_000);

      it('gives two live members disjoint batches', async () => {
        const cat = category();
        const group = `g-${randomUUID()}`;
        await store.consumerGroups.create(group, { filter: { categories: [cat] }, ackTimeoutMs: 30_000 });
        for (let i = 0; i < 10; i++) await store.append(`${cat}-1`, [event('Job', { i })]);
        const a = await store.consumerGroups.join(group, 'a');
        const b = await store.consumerGroups.join(group, 'b');
        const [fromA, fromB] = await Promise.all([a.receive(5, 5_000), b.receive(5, 5_000)]);
        const ids = [...fromA, ...fromB].map((d) => d.event.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(10);
        await a.ack(fromA.map((d) => d.event.id));
        await b.ack(fromB.map((d) => d.event.id));
        await Promise.all([a.close(), b.close()]);
      });

      it('stops a waiting receive when its signal is aborted, leasing nothing to it', async () => {
        const cat = category();
        const group = `g-${randomUUID()}`;
        await store.consumerGroups.create(group, { filter: { categories: [cat] }, ackTimeoutMs: 30_000 });
        const gone = await store.consumerGroups.join(group, 'gone');
        const caller = new AbortController();
        const started = Date.now();
        const waiting = gone.receive(5, 10_000, { signal: caller.signal });
        setTimeout(() => caller.abort(), 100);
        expect(await waiting).toEqual([]);
        expect(Date.now() - started).toBeLessThan(5_000);
        await store.append(`${cat}-1`, [event('Job', { i: 1 })]);
        const other = await store.consumerGroups.join(group, 'other');
        const [delivery] = await other.receive(5, 5_000);
        expect(delivery!.deliveryCount).toBe(1);
        await other.ack([delivery!.event.id]);
        await Promise.all([gone.close(), other.close()]);
      });

      it('retries a nacked event, parks it after the last delivery, and replays it on request', async () => {
        const cat = category();
        const group = `g-${randomUUID()}`;
        await store.consumerGroups.create(group, {
          filter: { categories: [cat] },
          maxDeliveries: 2,
          ackTimeoutMs: 30_000,
        });
        await store.append(`${cat}-1`, [event('Poison', { bad: true })]);
        const member = await store.consumerGroups.join(group, 'm');

        const [first] = await member.receive(1, 5_000);
        expect(first!.deliveryCount).toBe(1);
        await member.nack(first!.event.id, { reason: 'handler failed' });
        const [second] = await member.receive(1, 5_000);
        expect(second!.event.id).toBe(first!.event.id);
        expect(second!.deliveryCount).toBe(2);
        await member.nack(second!.event.id, { reason: 'handler failed again' });

        expect(await member.receive(1, 300)).toEqual([]);
        const parked = await store.consumerGroups.listParked(group);
        expect(parked.map((p) => [p.event.id, p.reason])).toEqual([[first!.event.id, 'handler failed again']]);
        expect(await store.consumerGroups.replayParked(group)).toBe(1);
        const [replayed] = await member.receive(1, 5_000);
        expect(replayed!.event.id).toBe(first!.event.id);
        await member.ack([replayed!.event.id]);
        expect((await store.consumerGroups.get(group)).parked).toBe(0);
        await member.close();
      });

      it('keeps its checkpoint across a restart and rejects unknown groups and double creation', async () => {
        const cat = category();
        const group = `g-${randomUUID()}`;
        await store.consumerGroups.create(group, { filter: { categories: [cat] } });
        await expect(store.consumerGroups.create(group)).rejects.toThrow(ConsumerGroupExistsError);
        await expect(store.consumerGroups.join(`missing-${randomUUID()}`, 'm')).rejects.toThrow(
          ConsumerGroupNotFoundError,
        );
        for (let i = 0; i < 6; i++) await store.append(`${cat}-1`, [event('Job', { i })]);
        const member = await store.consumerGroups.join(group, 'm');
        const batch = await member.receive(3, 5_000);
        await member.ack(batch.map((d) => d.event.id));
        await expect(member.ack([randomUUID()])).rejects.toThrow(NotOutstandingError);
        await member.close();

        const restarted = await connect();
        const again = await restarted.consumerGroups.join(group, 'm2');
        const rest = await again.receive(10, 5_000);
        expect(rest.map((d) => (d.event.data as { i: number }).i)).toEqual([3, 4, 5]);
        await again.ack(rest.map((d) => d.event.id));
        await again.close();
      });
    });
  });
}

let categorySeq = 0;
/** A category no other test (or earlier run against a shared server) has used. */
function category(): string {
  return `contract${randomUUID().slice(0, 8)}${categorySeq++}`;
}

function event(type: string, data: unknown = {}, id?: string): NewEvent {
  return { ...(id ? { id } : {}), type, data, metadata: { source: 'system' } };
}

async function readAllFrom(
  store: EventStore,
  from: bigint,
  filter: { categories?: string[]; eventTypes?: string[]; eventTypePrefixes?: string[] },
) {
  const result = await store.readAll({ from, filter, maxCount: 1_000 });
  return result.events;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
