import type { EventFilter, RecordedEvent } from '../event-store.port';

export const EVENT_COLUMNS = 'position, event_id, stream_name, stream_revision, type, data, metadata, recorded_at';

export interface EventRow {
  position: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    stream: row.stream_name,
    revision: BigInt(row.stream_revision),
    position: BigInt(row.position),
    data: row.data,
    metadata: { ...row.metadata, recordedAt: row.recorded_at.toISOString() } as RecordedEvent['metadata'],
  };
}

/** SQL conditions (AND-ed) for a filter; parameters are appended to `params`. */
export function filterConditions(filter: EventFilter | undefined, params: unknown[]): string[] {
  const conditions: string[] = [];
  if (filter?.categories?.length) {
    params.push(filter.categories);
    conditions.push(`category = ANY($${params.length}::text[])`);
  }
  if (filter?.eventTypes?.length) {
    params.push(filter.eventTypes);
    conditions.push(`type = ANY($${params.length}::text[])`);
  }
  if (filter?.eventTypePrefixes?.length) {
    const alternatives = filter.eventTypePrefixes.map((prefix) => {
      params.push(prefix);
      return `starts_with(type, $${params.length})`;
    });
    conditions.push(`(${alternatives.join(' OR ')})`);
  }
  return conditions;
}
