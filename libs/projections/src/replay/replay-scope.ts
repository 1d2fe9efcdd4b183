import { type EventFilter, matchesFilter, type RecordedEvent } from '@ledgerline/event-store';
import type { Projector } from '../projector';

/** What a replay covers: events after `fromPosition` up to and including `toPosition`. */
export interface ReplayScope {
  projectors: Projector[];
  /** Event type prefixes to narrow to; null: every event each projector reads. */
  types: string[] | null;
  fromPosition: bigint;
  toPosition: bigint;
}

/** Whether the projector would be given this event live (its filter) and the replay wants it (types). */
export function replays(projector: Projector, event: RecordedEvent, types: readonly string[] | null): boolean {
  return matchesFilter(event, projector.filter) && (!types || types.some((prefix) => event.type.startsWith(prefix)));
}

/**
 * The filter to read the store with: as narrow as one EventFilter can be and still hold every event
 * some projector replays (the store then skips the rest). Each projector is still matched per event.
 */
export function readFilter(projectors: readonly Projector[], types: readonly string[] | null): EventFilter | undefined {
  const filters = projectors.map((projector) => projector.filter);
  // Declared exact types (decision 0021) combine by union; narrowed by `types`, they stay exact.
  if (
    filters.every((filter) => filter?.eventTypes?.length && !filter.categories?.length && !filter.eventTypePrefixes)
  ) {
    const exact = [...new Set(filters.flatMap((filter) => filter!.eventTypes!))];
    const wanted = types ? exact.filter((type) => types.some((prefix) => type.startsWith(prefix))) : exact;
    // An empty list would pass everything: with nothing wanted, the prefixes (matching nothing declared) do.
    if (wanted.length) return { eventTypes: wanted };
  }
  if (types) return { eventTypePrefixes: [...types] };
  if (projectors.length === 1) return projectors[0]!.filter;
  if (
    filters.every((filter) => filter?.eventTypePrefixes?.length && !filter.categories?.length && !filter.eventTypes)
  ) {
    return { eventTypePrefixes: [...new Set(filters.flatMap((filter) => filter!.eventTypePrefixes!))] };
  }
  return undefined;
}
