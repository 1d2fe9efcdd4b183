import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';
import { readSse, type SseFrame } from './sse-reader';

const consumer = { Authorization: `Bearer ${TEST_KEYS.consumer}` };
const TOTAL = 10_000;

interface Delivered {
  position: string;
  eventId: string;
  stream: string;
  revision: string;
  type: string;
  data: { n: number };
  metadata: { source: string; recordedAt: string };
}

const events = (frames: SseFrame[]) =>
  frames.filter((f) => f.event === 'message').map((f) => JSON.parse(f.data) as Delivered);

describe('GET /feed: the store as server-sent events', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let base: string;
  let head: bigint;

  beforeAll(async () => {
    api = await startApiTestApp({ FEED_HEARTBEAT_MS: '200', FEED_DRAIN_TIMEOUT_MS: '500', FEED_BATCH_SIZE: '200' });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    store = api.app.get(EVENT_STORE);
    // 10,000 events over 100 streams, appended by 10 writers at once; a few of another category.
    let n = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, writer) => {
        for (let batch = 0; batch < 100; batch++) {
          const stream = `feedtest-${writer}-${batch % 10}`;
          await store.append(
            stream,
            Array.from({ length: 10 }, () => ({
              type: n % 2 ? 'FeedTestOdd' : 'FeedTestEven',
              data: { n: n++ },
              metadata: { source: 'system' as const },
            })),
          );
        }
      }),
    );
    await store.append('othercategory-1', [{ type: 'Unrelated', data: { n: -1 }, metadata: { source: 'system' } }]);
    // 24 MB of large events: more than the sockets between a client and the server can hold.
    const padding = 'x'.repeat(12_000);
    for (let batch = 0; batch < 20; batch++) {
      await store.append(
        `feedbig-${batch}`,
        Array.from({ length: 100 }, (_, i) => ({
          type: 'Big',
          data: { n: batch * 100 + i, padding },
          metadata: { source: 'system' as const },
        })),
      );
    }
    head = await store.headPosition();
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it(`delivers ${TOTAL.toLocaleString('en')} events in position order, each with its position as the SSE id`, async () => {
    const { status, frames } = await readSse(
      `${base}/feed?category=feedtest`,
      consumer,
      (f) => events(f).length >= TOTAL,
    );
    expect(status).toBe(200);
    const delivered = events(frames);
    expect(delivered).toHaveLength(TOTAL);
    const positions = delivered.map((e) => BigInt(e.position));
    positions.slice(1).forEach((p, i) => expect(p > positions[i]!).toBe(true));
    expect(new Set(delivered.map((e) => e.data.n)).size).toBe(TOTAL);
    const messages = frames.filter((f) => f.event === 'message');
    expect(messages.every((f, i) => f.id === delivered[i]!.position)).toBe(true);
    expect(delivered[0]).toMatchObject({ stream: expect.stringMatching(/^feedtest-/), metadata: { source: 'system' } });
  });

  it('resumes from Last-Event-ID after a disconnect: no gap, no repeat', async () => {
    const first = events(
      (await readSse(`${base}/feed?category=feedtest`, consumer, (f) => events(f).length >= 3_000)).frames,
    );
    const last = first[first.length - 1]!.position;
    const rest = events(
      (
        await readSse(
          `${base}/feed?category=feedtest&from=0`,
          { ...consumer, 'Last-Event-ID': last },
          (f) => first.length + events(f).length >= TOTAL,
        )
      ).frames,
    );
    const all = [...first, ...rest].map((e) => e.data.n);
    expect(all).toHaveLength(TOTAL);
    expect(new Set(all).size).toBe(TOTAL);
    expect(BigInt(rest[0]!.position) > BigInt(last)).toBe(true);
  });

  it('filters by type prefix, and heartbeats carry the scanned position so a filtered feed resumes past what it skipped', async () => {
    const { frames } = await readSse(`${base}/feed?type=Unrelated,FeedTestNone`, consumer, (f) =>
      f.some((frame) => frame.event === 'heartbeat' && BigInt(frame.id!) >= head),
    );
    expect(events(frames).map((e) => e.type)).toEqual(['Unrelated']);
    const beat = frames.find((f) => f.event === 'heartbeat' && BigInt(f.id!) >= head)!;
    expect(JSON.parse(beat.data)).toEqual({ position: head.toString() });
    // From the heartbeat's id nothing is sent again.
    const after = await readSse(`${base}/feed?type=Unrelated`, { ...consumer, 'Last-Event-ID': beat.id! }, (f) =>
      f.some((frame) => frame.event === 'heartbeat'),
    );
    expect(events(after.frames)).toEqual([]);
  });

  it('streams what is appended while connected, from the end', async () => {
    const reading = readSse(`${base}/feed?from=end&category=feedlive`, consumer, (f) => events(f).length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 3; i++) {
      await store.append(`feedlive-${i}`, [{ type: 'Live', data: { n: i }, metadata: { source: 'system' } }]);
    }
    expect(events((await reading).frames).map((e) => e.data.n)).toEqual([0, 1, 2]);
  });

  it('tells a client that stops reading to reconnect from its position, and lets it go', async () => {
    const url = new URL(`${base}/feed?category=feedbig`);
    const socket = connect(Number(url.port), url.hostname);
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${consumer.Authorization}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    socket.pause(); // a consumer that takes nothing: the server must not buffer the store for it
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    // The server ends the stream and closes the connection once the client has taken the rest.
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.resume();
    await closed;
    const reconnect = /event: reconnect\ndata: (.+)\n\n/.exec(text);
    expect(reconnect).not.toBeNull();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]!);
    const told = JSON.parse(reconnect![1]!) as { from: string; reason: string };
    expect(told.from).toBe(ids[ids.length - 1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(2_000); // it stopped instead of buffering the store for the client
  });

  it('answers a bad position or filter with 400 naming it, and callers without the consumer role with 403', async () => {
    const get = async (query: string, headers: Record<string, string> = consumer) => {
      const response = await fetch(`${base}/feed${query}`, { headers });
      const body = response.status === 200 ? null : ((await response.json()) as { message: string[] });
      if (response.status === 200) await response.body?.cancel();
      return { status: response.status, message: [body?.message ?? []].flat().join('; ') };
    };
    expect(await get('?from=abc')).toMatchObject({
      status: 400,
      message: expect.stringContaining('from must be a store position'),
    });
    expect(await get('?from=99999999')).toMatchObject({
      status: 400,
      message: expect.stringContaining("past the store's head"),
    });
    expect(await get('?category=bad-category')).toMatchObject({
      status: 400,
      message: expect.stringContaining('category "bad-category"'),
    });
    expect(await get('?type=a%20b')).toMatchObject({ status: 400, message: expect.stringContaining('type "a b"') });
    expect(await get('', { ...consumer, 'Last-Event-ID': 'x' })).toMatchObject({
      status: 400,
      message: expect.stringContaining('Last-Event-ID must be a store position'),
    });
    expect((await get('', { Authorization: `Bearer ${TEST_KEYS.support}` })).status).toBe(403);
    expect((await get('', {})).status).toBe(401);
  });
});
