import type { EventFilter, ReadAllResult, RecordedEvent } from '../event-store.port';
import { matchesFilter } from '../event-filter';

/** The events of (after, upTo] and the head, read in one snapshot. */
export type ReadRange = (after: bigint, upTo: bigint) => Promise<{ events: RecordedEvent[]; head: bigint }>;

export interface SharedLogReaderOptions {
  /** Positions per cached window. */
  windowSize?: number;
  /** Windows kept at most (least recently used dropped first): bounds memory. */
  maxWindows?: number;
  /** Windows one read scans at most looking for matches of a filter. */
  maxScanWindows?: number;
}

interface Window {
  end: bigint;
  /** Sorted by position; all of (start, readTo] that is committed. */
  events: RecordedEvent[];
  readTo: bigint;
  head: bigint;
  /** The notification count seen before the last read: what it can be trusted to include. */
  readGeneration: number;
  pending: Promise<void> | null;
  lastUsed: number;
}

/**
 * Subscriptions of one process share their reads of the log: it is read in windows of positions,
 * once, and every subscription takes its matches from them. Without it, each projector in the
 * worker read and parsed its own copy of every event it follows (thirteen of them for one append).
 *
 * A window holds what was committed up to the head when it was read, and is extended as the log
 * grows. Positions are commit-ordered (decision 0001), so a window never misses an event below
 * what it has read. A read that may end at the head makes sure the window was read after the
 * last notification the reader had seen, so a wake-up is never answered from an older read.
 */
export class SharedLogReader {
  private readonly windows = new Map<bigint, Window>();
  private readonly windowSize: bigint;
  private readonly maxWindows: number;
  private readonly maxScanWindows: number;
  private uses = 0;

  constructor(
    private readonly readRange: ReadRange,
    private readonly generation: () => number,
    options: SharedLogReaderOptions = {},
  ) {
    this.windowSize = BigInt(options.windowSize ?? 1_000);
    this.maxWindows = options.maxWindows ?? 16;
    this.maxScanWindows = options.maxScanWindows ?? 16;
  }

  /** How far from a cached window (or another reader) sharing is worth it. */
  get reach(): bigint {
    return this.windowSize * BigInt(this.maxWindows);
  }

  /** Whether a window covering the next event after `position` is cached. */
  covers(position: bigint): boolean {
    return this.windows.has(position / this.windowSize);
  }

  /**
   * Up to `maxCount` events after `from` that pass `filter`, with readAll's result: `nextFrom` is
   * the last event returned when full, else how far the log was scanned.
   */
  async read(from: bigint, maxCount: number, filter?: EventFilter): Promise<ReadAllResult> {
    const seen = this.generation();
    const events: RecordedEvent[] = [];
    let position = from;
    let head = from;
    let window = this.windowAfter(position);
    for (let scanned = 0; ;) {
      for (let i = firstAfter(window.events, position); i < window.events.length; i++) {
        const event = window.events[i]!;
        if (!matchesFilter(event, filter)) continue;
        events.push(event);
        if (events.length === maxCount) {
          return { events, nextFrom: event.position, headPosition: max(head, window.head) };
        }
      }
      // A reader can be ahead of a window's last read (it read on its own before): never hold it there.
      const behindReader = window.readTo < position;
      position = max(position, window.readTo);
      head = max(head, window.head);
      if (window.readTo >= window.end) {
        if (++scanned === this.maxScanWindows) break;
        window = this.windowAfter(position);
        continue;
      }
      // At the end of what was read: the head, unless the window is older than what we were told.
      if (window.readGeneration >= seen && window.pending === null && !behindReader) break;
      // The same window object is read on even if another reader has dropped it from the cache meanwhile.
      await this.extend(window);
      if (window.readTo <= position && window.readGeneration >= seen) {
        head = max(head, window.head);
        break;
      }
    }
    return { events, nextFrom: position, headPosition: head };
  }

  clear(): void {
    this.windows.clear();
  }

  private windowAfter(position: bigint): Window {
    const key = position / this.windowSize;
    let window = this.windows.get(key);
    if (!window) {
      const start = key * this.windowSize;
      window = {
        end: start + this.windowSize,
        events: [],
        readTo: start,
        head: start,
        readGeneration: -1,
        pending: null,
        lastUsed: 0,
      };
      this.windows.set(key, window);
    }
    // Marked used before evicting, so a full cache never drops the window it has just made.
    window.lastUsed = ++this.uses;
    this.evict();
    return window;
  }

  /** Reads the rest of a window, once for all readers waiting on it. */
  private async extend(window: Window): Promise<void> {
    if (window.pending) return window.pending;
    const generation = this.generation();
    window.pending = this.readRange(window.readTo, window.end)
      .then(({ events, head }) => {
        for (const event of events) window.events.push(event);
        window.head = max(window.head, head);
        window.readTo = max(window.readTo, head < window.end ? head : window.end);
        window.readGeneration = Math.max(window.readGeneration, generation);
      })
      .finally(() => {
        window.pending = null;
      });
    return window.pending;
  }

  private evict(): void {
    while (this.windows.size > this.maxWindows) {
      let oldest: [bigint, Window] | null = null;
      for (const entry of this.windows) if (!oldest || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
      this.windows.delete(oldest![0]);
    }
  }
}

function firstAfter(events: RecordedEvent[], position: bigint): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.position <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
