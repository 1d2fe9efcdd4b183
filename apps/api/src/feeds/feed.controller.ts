import { Controller, Get, Headers, Inject, Logger, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { feedEvent } from './feed-event';
import { OpenStreams } from './open-streams';
import { assertNotPastHead, feedFilter, feedPosition } from './feed-filter';
import { FeedRequest } from './feed.request';
import { SlowConsumerError, SseStream } from './sse-stream';

/**
 * `GET /feed`: the store as server-sent events, in position order, from a position (`from`, or
 * `Last-Event-ID` when an EventSource reconnects), filtered by category and type prefix. Each event's
 * SSE id is its position; heartbeats carry the position scanned so far, so a filtered feed resumes
 * past events it skipped. Reading waits for the client (backpressure); a client that takes nothing
 * for FEED_DRAIN_TIMEOUT_MS is told to reconnect from its position and let go. docs/feeds.md.
 */
@Controller('feed')
@Roles('consumer')
export class FeedController {
  private readonly logger = new Logger('Feed');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    private readonly openStreams: OpenStreams,
  ) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-sent events: `id` is the position; `data` a FeedEvent (positions and revisions as decimal strings); ' +
      '`heartbeat` events carry the position scanned; `reconnect` and `error` end the stream with the position to resume from.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  async feed(
    @Query() query: FeedRequest,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const filter = feedFilter(query.category, query.type);
    const resumeFrom = feedPosition('Last-Event-ID', lastEventId);
    const from = resumeFrom ?? feedPosition('from', typeof query.from === 'string' ? query.from : undefined) ?? 'start';
    const head = await this.store.headPosition();
    assertNotPastHead(from, head);
    const { heartbeatMs, drainTimeoutMs, batchSize } = this.config.feeds;
    const sse = new SseStream(response, drainTimeoutMs);
    // The last position the client has: an event's, or a heartbeat's scan position.
    let position = from === 'start' ? 0n : from === 'end' ? head : from;
    let lastSentAt = Date.now();
    // One writer at a time: a heartbeat never goes out while a batch is being written, so its scan
    // position never runs ahead of events the client has not got yet.
    let writing: Promise<void> = Promise.resolve();
    const exclusively = (work: () => Promise<void>): Promise<void> => (writing = writing.then(work));

    const subscription = this.store.subscribeToAll({
      from: from === 'start' ? 'start' : from === 'end' ? head : from,
      filter,
      batchSize,
      handler: (events) =>
        exclusively(async () => {
          for (const event of events) {
            // Once written (even if still queued for a slow socket) the client will get it.
            const written = sse.send({ id: event.position.toString(), data: feedEvent(event) });
            position = event.position;
            await written;
            lastSentAt = Date.now();
          }
        }),
    });
    const heartbeat = setInterval(
      () => {
        if (Date.now() - lastSentAt < heartbeatMs) return;
        lastSentAt = Date.now();
        exclusively(async () => {
          const scanned = subscription.position > position ? subscription.position : position;
          await sse.send({ id: scanned.toString(), event: 'heartbeat', data: { position: scanned.toString() } });
          position = scanned;
        }).catch(stop);
      },
      Math.min(heartbeatMs, 1_000),
    );

    const finish = (last?: { event: string; data: unknown }) => {
      forget();
      clearInterval(heartbeat);
      void subscription.stop();
      sse.end(last && { ...last, data: { from: position.toString(), ...(last.data as object) } });
    };
    const forget = this.openStreams.add(finish);
    function stop(error: unknown): void {
      if (error instanceof SlowConsumerError) {
        finish({ event: 'reconnect', data: { reason: error.message } });
      } else {
        finish({ event: 'error', data: { message: 'the feed stopped; reconnect from your position' } });
      }
    }
    sse.onClose(() => finish());
    subscription.done.then(
      () => finish(),
      (error: unknown) => {
        if (!(error instanceof SlowConsumerError)) this.logger.error(`feed stopped: ${(error as Error).message}`);
        stop(error);
      },
    );
  }
}
