import type { RecordedEvent } from '@ledgerline/event-store';

/**
 * An event as a store would hand it back at `position`, for unit tests that build a log without a
 * store; its id is derived from the position, so ids stay unique and stable across runs.
 */
export function recordedEventAt(
  position: bigint,
  event: Pick<RecordedEvent, 'type' | 'stream' | 'data' | 'metadata'>,
): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: event.type,
    stream: event.stream,
    revision: 0n,
    position,
    data: event.data,
    metadata: event.metadata,
  };
}
