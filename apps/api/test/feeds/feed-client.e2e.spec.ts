import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import {
  FeedClient,
  FeedConnectionError,
  FeedHttpError,
  fileCheckpoint,
  memoryCheckpoint,
  PermanentError,
  type ReconnectInfo,
} from '@ledgerline/feed-client';
import { eventually, ROOT } from '@ledgerline/testing';
import { OpenStreams } from '../../src/feeds/open-streams';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';

interface Appended {
  position: string;
  eventId: string;
}

/** A process running TypeScript the way examples/ are run, with its stdout as lines. */
interface TsProcess {
  child: ChildProcess;
  lines: string[];
  closed: Promise<void>;
  stderr(): string;
}

function runTs(args: string[], env: Record<string, string>): TsProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ...args],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': every line the process wrote has been read by then.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, lines, closed, stderr: () => stderr };
}

/** A subscriber that prints each position it handled, until it is killed. */
const KILLABLE_SUBSCRIBER = `
const { FeedClient, fileCheckpoint } = require('@ledgerline/feed-client');
const feed = new FeedClient({ baseUrl: process.env.LEDGERLINE_URL, apiKey: process.env.LEDGERLINE_API_KEY });
feed.subscribe({ categories: ['resume'], checkpoint: fileCheckpoint(process.env.CHECKPOINT) }, async (event) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  process.stdout.write(event.position + '\\n');
});
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `promise`, at most `ms` (a stuck subscription fails its assertions instead of the test timing out). */
async function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

describe('@ledgerline/feed-client against the real api', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let base: string;
  let feed: FeedClient;
  let dir: string;
  const children: ChildProcess[] = [];

  /** `count` events in `category`, 100 per stream; their positions in order. */
  const append = async (
    category: string,
    count: number,
    type = 'OrderPaid',
    padding = '',
    target = store,
  ): Promise<Appended[]> => {
    const appended: Appended[] = [];
    for (let batch = 0; batch * 100 < count; batch++) {
      const result = await target.append(
        `${category}-${batch}`,
        Array.from({ length: Math.min(100, count - batch * 100) }, (_, i) => ({
          type,
          data: { n: batch * 100 + i, padding },
          metadata: { source: 'system' as const },
        })),
      );
      appended.push(...result.events.map((e) => ({ position: e.position.toString(), eventId: e.id })));
    }
    return appended;
  };

  beforeAll(async () => {
    api = await startApiTestApp({ FEED_HEARTBEAT_MS: '200' });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    store = api.app.get(EVENT_STORE);
    feed = new FeedClient({ baseUrl: base, apiKey: TEST_KEYS.consumer, backoff: { initialMs: 100, maxMs: 1_000 } });
    dir = mkdtempSync(join(tmpdir(), 'feed-client-'));
    await store.append('noise-1', [{ type: 'Noise', data: {}, metadata: { source: 'system' } }]);
  });
  afterAll(async () => {
    children.forEach((child) => child.kill('SIGKILL'));
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after a restart from its last position: no gap and no repeat after stop(); after a kill, only the event in flight again', async () => {
    const all = (await append('resume', 2_000)).map((e) => e.position);

    // Stopped gracefully after 700 events (stop is asked for inside the handler, while one is in flight).
    const graceful = join(dir, 'graceful', 'position');
    const seen: string[] = [];
    const first = feed.subscribe({ categories: ['resume'], checkpoint: fileCheckpoint(graceful) }, (event) => {
      seen.push(event.position);
      if (seen.length === 700) void first.stop();
    });
    await first.done;
    expect(seen).toHaveLength(700);
    expect(readFileSync(graceful, 'utf8').trim()).toBe(seen[699]);
    const second = feed.subscribe({ categories: ['resume'], checkpoint: fileCheckpoint(graceful) }, (event) => {
      seen.push(event.position);
      if (seen.length === all.length) void second.stop();
    });
    await atMost(second.done, 20_000);
    await second.stop();
    expect(seen).toEqual(all); // every position once, in order

    // Killed (SIGKILL) mid-stream: a separate process, so nothing runs after the kill.
    const killed = join(dir, 'killed', 'position');
    const subscriber = runTs(['-e', KILLABLE_SUBSCRIBER], {
      LEDGERLINE_URL: base,
      LEDGERLINE_API_KEY: TEST_KEYS.consumer,
      CHECKPOINT: killed,
    });
    children.push(subscriber.child);
    await eventually(async () => subscriber.lines.length >= 600, 30_000, `600 events handled (${subscriber.stderr()})`);
    subscriber.child.kill('SIGKILL');
    await subscriber.closed;
    const before = subscriber.lines;
    expect(before.length).toBeLessThan(all.length);
    expect(before).toEqual(all.slice(0, before.length));
    // The file holds a whole position (it is replaced by a rename): the last event handled, or the
    // one before it when the kill came between the handler's end and the save.
    const saved = readFileSync(killed, 'utf8').trim();
    expect([before[before.length - 1], before[before.length - 2]]).toContain(saved);

    const after: string[] = [];
    const third = feed.subscribe({ categories: ['resume'], checkpoint: fileCheckpoint(killed) }, (event) => {
      after.push(event.position);
      if (event.position === all[all.length - 1]) void third.stop();
    });
    await atMost(third.done, 20_000);
    await third.stop();
    expect(after).toEqual(all.slice(all.indexOf(saved) + 1));
    const repeated = after.filter((position) => before.includes(position));
    expect(repeated).toEqual(saved === before[before.length - 1] ? [] : [before[before.length - 1]]);
    expect(new Set([...before, ...after]).size).toBe(all.length);
  });

  it('two members of a group, one killed mid-batch: every event handled by someone, none lost', async () => {
    const events = await append('payment', 200, 'RefundRequested');
    const group = feed.group('fulfilment');
    await group.create({ categories: ['payment'], ackTimeoutMs: 1_500 });

    // Member A is the example consumer, slow (100 ms an event, 5 at a time), in its own process.
    const a = runTs(['examples/fulfilment-consumer/main.ts'], {
      LEDGERLINE_URL: base,
      LEDGERLINE_API_KEY: TEST_KEYS.consumer,
      GROUP: 'fulfilment',
      MEMBER: 'worker-a',
      MAX: '5',
      WORK_MS: '100',
    });
    children.push(a.child);
    await eventually(async () => a.lines.length >= 1, 30_000, `worker A's first event (${a.stderr()})`);

    // Member B runs here, alongside.
    const byB = new Map<string, number>();
    const b = group.consume({ member: 'worker-b', max: 10, waitMs: 500 }, async (event, delivery) => {
      await sleep(20);
      byB.set(event.eventId, delivery.deliveryCount);
    });
    try {
      // A's 7th line: its first batch of 5 is acked, it is 2 events into its second batch.
      await eventually(async () => a.lines.length >= 7, 20_000, 'worker A in its second batch');
      a.child.kill('SIGKILL');
      await a.closed;
      const byA = a.lines.map((line) => JSON.parse(line) as { eventId: string; member: string; deliveryCount: number });
      expect(byA.length).toBeLessThan(10);
      expect(byA.every((line) => line.member === 'worker-a' && line.deliveryCount === 1)).toBe(true);

      const handled = () => events.filter((e) => byB.has(e.eventId) || byA.some((l) => l.eventId === e.eventId));
      await eventually(async () => handled().length === events.length, 20_000, 'every event handled');
      await eventually(async () => (await group.get()).outstanding === 0, 5_000, 'every event acked');
      await b.stop();

      // A's acked batch never came again; its second batch (the events it handled and those it had
      // not started) went to B after the ack timeout, as second deliveries.
      expect(byA.slice(0, 5).filter((line) => byB.has(line.eventId))).toEqual([]);
      expect(byA.slice(5).map((line) => byB.get(line.eventId))).toEqual(byA.slice(5).map(() => 2));
      expect([...byB.values()].filter((count) => count === 2)).toHaveLength(5);
      expect(byB.size).toBe(events.length - 5);
      const info = await group.get();
      expect(info).toMatchObject({ outstanding: 0, parked: 0 });
      expect(BigInt(info.checkpoint) >= BigInt(events[events.length - 1]!.position)).toBe(true);
    } finally {
      await b.stop();
    }
  });

  it('the example worker stops on SIGTERM: finishes its event, acks, gives the rest back, exits 0', async () => {
    // The group the example ensures (payment, stripe_charge) gets the events of the test above too.
    await append('stripe_charge', 20, 'charge.succeeded');
    const worker = runTs(['examples/fulfilment-consumer/main.ts'], {
      LEDGERLINE_URL: base,
      LEDGERLINE_API_KEY: TEST_KEYS.consumer,
      GROUP: 'shipping',
      MEMBER: 'worker-t',
      MAX: '10',
      WORK_MS: '100',
    });
    children.push(worker.child);
    await eventually(async () => worker.lines.length >= 3, 30_000, `the worker's third event (${worker.stderr()})`);
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', resolve));
    worker.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await worker.closed;
    const printed = worker.lines.map((line) => (JSON.parse(line) as { eventId: string }).eventId);
    expect(printed.length).toBeLessThan(10); // it stopped mid-batch

    // Nothing it handled is outstanding, and what it had not started is back in line at once.
    const group = feed.group('shipping');
    const rest: { eventId: string; deliveryCount: number }[] = [];
    const other = group.consume({ member: 'worker-u', max: 100, waitMs: 200 }, (event, delivery) => {
      rest.push({ eventId: event.eventId, deliveryCount: delivery.deliveryCount });
    });
    try {
      await eventually(async () => (await group.get()).outstanding === 0, 10_000, 'the rest handled');
    } finally {
      await other.stop();
    }
    expect(rest.filter((d) => printed.includes(d.eventId))).toEqual([]);
    expect(rest.filter((d) => d.deliveryCount === 2)).toHaveLength(10 - printed.length);
    expect(printed.length + rest.length).toBe(220);
  });

  it('acks what the handler did, retries what it threw on, parks what it threw a PermanentError on', async () => {
    const [flaky, poison, fine] = await append('poison', 3, 'RefundRequested');
    const group = feed.group('emails');
    await group.ensure({ categories: ['poison'], ackTimeoutMs: 30_000 });
    expect((await group.ensure({ categories: ['other'] })).filter).toEqual({ categories: ['poison'] }); // kept
    const calls: [string, number][] = [];
    const errors: unknown[] = [];
    const worker = group.consume({ member: 'm', onError: (error) => errors.push(error) }, (event, delivery) => {
      calls.push([event.eventId, delivery.deliveryCount]);
      if (event.eventId === flaky!.eventId && delivery.deliveryCount === 1) throw new Error('mail server down');
      if (event.eventId === poison!.eventId) throw new PermanentError('template missing');
    });
    try {
      await eventually(async () => calls.length >= 4, 10_000, 'the flaky event retried');
      await eventually(async () => (await group.get()).outstanding === 0, 5_000, 'all settled');
    } finally {
      await worker.stop();
    }
    expect(calls).toEqual([
      [flaky!.eventId, 1],
      [poison!.eventId, 1],
      [fine!.eventId, 1],
      [flaky!.eventId, 2],
    ]);
    expect((errors as Error[]).map((e) => e.message)).toEqual(['mail server down', 'template missing']);
    const parked = await group.parked();
    expect(parked.map((p) => [p.event.eventId, p.reason])).toEqual([[poison!.eventId, 'template missing']]);
    expect(await group.get()).toMatchObject({ outstanding: 0, parked: 1 });
  });

  it('reconnects by itself when the server says so and when the connection drops, resuming where it was', async () => {
    // 20 kB events: 600 of them are more than the sockets and fetch's buffers hold (a few MB), so
    // when the connection drops most of them are still to come.
    const padding = 'x'.repeat(20_000);
    const all = (await append('recon', 300, 'OrderPaid', padding)).map((e) => e.position);
    const reconnects: ReconnectInfo[] = [];
    const requests: (string | undefined)[] = [];
    const client = new FeedClient({
      baseUrl: base,
      apiKey: TEST_KEYS.consumer,
      backoff: { initialMs: 100 },
      fetch: (input, init) => {
        requests.push((init.headers as Record<string, string>)['Last-Event-ID']);
        return fetch(input, init);
      },
    });
    const seen: string[] = [];
    const subscription = client.subscribe(
      { categories: ['recon'], checkpoint: memoryCheckpoint(), onReconnect: (info) => reconnects.push(info) },
      (event) => {
        seen.push(event.position);
        // What a deploy does: every open stream is told to reconnect, then the server goes.
        if (seen.length === 100) api.app.get(OpenStreams).beforeApplicationShutdown();
        // The connection breaks under it (a proxy restart, a network blip).
        if (seen.length === 350) (api.app.getHttpServer() as Server).closeAllConnections();
      },
    );
    try {
      await eventually(async () => reconnects.length === 1, 10_000, 'the first reconnection');
      all.push(...(await append('recon', 600, 'OrderPaid', padding)).map((e) => e.position));
      await eventually(async () => reconnects.length === 2, 10_000, 'the second reconnection');
      await eventually(async () => seen.length >= all.length, 10_000, 'every event');
      // And it is live: what is appended now arrives too.
      all.push(...(await append('recon', 50)).map((e) => e.position));
      await eventually(async () => seen.length >= all.length, 10_000, 'the live events');
    } finally {
      await subscription.stop();
    }
    expect(seen).toEqual(all);
    expect(reconnects[0]).toMatchObject({ reason: expect.stringContaining('the server is shutting down') });
    expect(reconnects[0]!.error).toBeUndefined();
    expect(reconnects[1]).toMatchObject({ reason: expect.stringContaining('the connection failed') });
    expect(reconnects[1]!.error).toBeInstanceOf(FeedConnectionError);
    // Each reconnection resumed from the position it had handled (or a heartbeat past it).
    expect(requests).toEqual([undefined, reconnects[0]!.position, reconnects[1]!.position]);
    expect(BigInt(reconnects[0]!.position!) >= BigInt(all[99]!)).toBe(true);
    expect(BigInt(reconnects[1]!.position!) >= BigInt(all[349]!)).toBe(true);
    expect(BigInt(reconnects[1]!.position!) < BigInt(all[899]!)).toBe(true);
  });

  it('a handler too slow for the server is told to reconnect (slow consumer) and resumes without gap or repeat', async () => {
    const strict = await startApiTestApp({ FEED_DRAIN_TIMEOUT_MS: '300', FEED_HEARTBEAT_MS: '200' });
    try {
      await strict.app.listen(0, '127.0.0.1');
      // 12 MB: more than the buffers between the server and a handler that does not take them.
      const all = (await append('slow', 600, 'OrderPaid', 'x'.repeat(20_000), strict.app.get(EVENT_STORE))).map(
        (e) => e.position,
      );
      const client = new FeedClient({
        baseUrl: (await strict.app.getUrl()).replace('[::1]', '127.0.0.1'),
        apiKey: TEST_KEYS.consumer,
        backoff: { initialMs: 100 },
      });
      const reconnects: ReconnectInfo[] = [];
      const seen: string[] = [];
      const subscription = client.subscribe(
        { categories: ['slow'], onReconnect: (info) => reconnects.push(info) },
        async (event) => {
          if (!seen.length) await sleep(1_500); // far longer than the server waits for the client
          seen.push(event.position);
        },
      );
      try {
        await eventually(async () => seen.length >= all.length, 20_000, 'every event');
      } finally {
        await subscription.stop();
      }
      expect(seen).toEqual(all);
      expect(reconnects[0]).toMatchObject({ reason: expect.stringContaining('the client took nothing for 300 ms') });
      expect(reconnects[0]!.error).toBeUndefined();
      expect(BigInt(reconnects[0]!.position!) < BigInt(all[all.length - 1]!)).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('a 4xx stops with a typed error at once, without a retry loop', async () => {
    const requests: string[] = [];
    const counting = (apiKey: string) =>
      new FeedClient({
        baseUrl: base,
        apiKey,
        backoff: { initialMs: 10 },
        fetch: (input, init) => {
          requests.push(input);
          return fetch(input, init);
        },
      });
    const reconnects: ReconnectInfo[] = [];
    const handled: unknown[] = [];
    const bad = counting(TEST_KEYS.consumer).subscribe(
      { categories: ['bad-category'], onReconnect: (info) => reconnects.push(info) },
      (event) => void handled.push(event),
    );
    const error = await bad.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedHttpError);
    expect(error).toMatchObject({ status: 400, messages: [expect.stringContaining('category "bad-category"')] });
    await sleep(300);
    expect(requests).toHaveLength(1);
    expect(reconnects).toEqual([]);
    expect(handled).toEqual([]);

    await expect(counting('not-a-key-0123456789abcdef').subscribe({}, () => undefined).done).rejects.toMatchObject({
      name: 'FeedHttpError',
      status: 401,
    });
    const stopped: unknown[] = [];
    const worker = counting(TEST_KEYS.consumer)
      .group('no-such-group')
      .consume({ member: 'm', onError: (e) => stopped.push(e) }, () => undefined);
    await expect(worker.done).rejects.toMatchObject({ name: 'FeedHttpError', status: 404 });
    expect(stopped).toEqual([expect.any(FeedHttpError)]);
    await expect(feed.group('emails').create()).rejects.toMatchObject({ status: 409 });
    expect(requests).toHaveLength(3); // one request each
    expect(() => feed.subscribe({ from: 'yesterday' }, () => undefined)).toThrow(TypeError);

    // Unreachable is not a 4xx: retried (here until stopped), each failure a FeedConnectionError.
    const failures: unknown[] = [];
    const unreachable = new FeedClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', backoff: { initialMs: 10 } });
    const retrying = unreachable.subscribe({ onReconnect: (info) => failures.push(info.error) }, () => undefined);
    await eventually(async () => failures.length >= 3, 5_000, 'three attempts');
    await retrying.stop();
    expect(failures.every((e) => e instanceof FeedConnectionError)).toBe(true);
  });
});
