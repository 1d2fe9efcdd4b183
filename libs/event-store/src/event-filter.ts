import { categoryOf } from './append-validation';
import type { EventFilter } from './event-store.port';

/**
 * Whether an event passes a filter, with the port's semantics (EventFilter): any listed category
 * and any listed exact type and any listed type prefix; an absent or empty list passes everything. Adapters filter in the
 * store where they can; this is the same rule for code that holds the events already.
 */
export function matchesFilter(event: { stream: string; type: string }, filter?: EventFilter): boolean {
  if (filter?.categories?.length && !filter.categories.includes(categoryOf(event.stream))) return false;
  if (filter?.eventTypes?.length && !filter.eventTypes.includes(event.type)) return false;
  return !filter?.eventTypePrefixes?.length || filter.eventTypePrefixes.some((prefix) => event.type.startsWith(prefix));
}
