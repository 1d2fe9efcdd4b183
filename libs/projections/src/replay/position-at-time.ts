import type { EventStore } from '@ledgerline/event-store';

/**
 * The store position that splits it at `time`: every event at or below it was recorded before
 * `time`, every event after it (up to `head`) at or after `time`. So `(positionAt(t1), positionAt(t2)]`
 * are the events recorded in `[t1, t2)`.
 *
 * A binary search over the position space, one `readAll({ from, maxCount: 1 })` per step, which
 * both adapters answer: PostgreSQL's positions are dense, EventStoreDB's are sparse log offsets
 * (about 64 steps at most). It relies on recordedAt growing with position, which holds for the
 * PostgreSQL store (stamped under the position lock) and for EventStoreDB's log; a clock stepping
 * back would only blur the boundary by that step.
 */
export async function positionAt(store: EventStore, time: Date, head?: bigint): Promise<bigint> {
  const target = time.getTime();
  const end = head ?? (await store.headPosition());
  // Whether the first event after `position` was recorded before `time` (so the split lies beyond).
  const before = async (position: bigint): Promise<{ yes: boolean; next: bigint | null }> => {
    const [event] = (await store.readAll({ from: position, maxCount: 1 })).events;
    if (!event || event.position > end) return { yes: false, next: null };
    return { yes: Date.parse(event.metadata.recordedAt) < target, next: event.position };
  };
  const first = await before(0n);
  if (!first.yes) return 0n;
  // Invariant: the first event after `low` is before `time`; the first after `high` is not (or none).
  let low = first.next! - 1n;
  let high = end;
  while (high - low > 1n) {
    const middle = low + (high - low) / 2n;
    const probe = await before(middle);
    // Every position from middle up to the event found has that same first event after it.
    if (probe.yes) low = probe.next! - 1n;
    else high = middle;
  }
  return high;
}
