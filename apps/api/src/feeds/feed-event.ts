import type { RecordedEvent } from '@ledgerline/event-store';

/**
 * An event as feeds deliver it (docs/feeds.md). Positions and revisions are 64-bit: decimal
 * strings, so no client loses precision.
 */
export function feedEvent(event: RecordedEvent) {
  return {
    position: event.position.toString(),
    eventId: event.id,
    stream: event.stream,
    revision: event.revision.toString(),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  };
}
