import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { Roles } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore, InvalidAppendError, type RecordedEvent } from '@ledgerline/event-store';
import { ReadStreamRequest } from './read-stream.request';

/** A page's neighbour: pass `from` and `direction` back to read it. */
interface PageLink {
  from: number;
  direction: 'forwards' | 'backwards';
}

/**
 * The audit trail of one stream (docs/audit.md): its events with all their metadata (actor,
 * source, correlation and causation ids, recorded and occurred times), a page at a time in either
 * direction. Data is shown as the current schema version (upcast on read).
 */
@Controller('streams')
export class StreamsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Roles('support', 'finance', 'admin')
  @Get(':stream')
  async read(@Param('stream') stream: string, @Query() request: ReadStreamRequest) {
    const direction = request.direction ?? 'forwards';
    const limit = request.limit ?? 100;
    const events = await this.store
      .readStream(stream, {
        direction,
        fromRevision: request.from === undefined ? undefined : BigInt(request.from),
        maxCount: limit + 1,
      })
      .catch((error: unknown) => {
        if (error instanceof InvalidAppendError) throw new BadRequestException(error.message);
        throw error;
      });
    if (!events.length && request.from === undefined) throw new NotFoundException(`No stream "${stream}" exists`);
    const page = events.slice(0, limit);
    const step = direction === 'forwards' ? 1 : -1;
    const first = page[0];
    const previous = first ? Number(first.revision) - step : request.from === undefined ? -1 : request.from - step;
    return {
      stream,
      direction,
      events: page.map(eventView),
      next: events.length > limit ? link(Number(events[limit]!.revision), direction) : null,
      previous: previous >= 0 ? link(previous, direction === 'forwards' ? 'backwards' : 'forwards') : null,
    };
  }
}

function link(from: number, direction: PageLink['direction']): PageLink {
  return { from, direction };
}

function eventView(event: RecordedEvent) {
  const { metadata } = event;
  return {
    eventId: event.id,
    type: event.type,
    revision: Number(event.revision),
    position: Number(event.position),
    recordedAt: metadata.recordedAt,
    occurredAt: metadata.occurredAt ?? null,
    source: metadata.source,
    actor: metadata.actor ?? null,
    correlationId: metadata.correlationId ?? null,
    causationId: metadata.causationId ?? null,
    schemaVersion: metadata.schemaVersion ?? 1,
    metadata,
    data: event.data,
  };
}
