import type { EventFilter, RecordedEvent } from '@ledgerline/event-store';

/** The batch's transaction, as a projector sees it: plain SQL against the read-model database. */
export interface ProjectionTransaction {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * The physical name of one of the projector's tables: the live table, or during a rebuild its
   * shadow copy. Projectors always write through this.
   */
  table(name: string): string;
}

/**
 * A read model's logic. `apply` runs inside the transaction that also moves the projector's
 * checkpoint, so an event is applied exactly once however the process dies. It must be
 * deterministic: a rebuild replays the same events and must end with the same rows.
 */
export interface Projector {
  readonly name: string;
  /** Bump when the read model's logic or shape changes: the projection is then rebuilt. */
  readonly version: number;
  /**
   * The exact event types it handles, written out next to its apply (`'all'`: every event), so
   * one search finds every consumer of a type (decision 0021, docs/event-routing.md). Its filter
   * is derived from it.
   */
  readonly handles?: readonly string[] | 'all';
  readonly filter?: EventFilter;
  /** The read-model tables it owns: a rebuild fills shadow copies of them, then swaps them in. */
  readonly tables: readonly string[];
  /**
   * True when applying an event again, after any later events, leaves the rows exactly as they were
   * (newest-wins snapshots, inserts keyed by the event). Only such projectors may be replayed over
   * a range of the store into their live tables (`ledgerline replay`); the others are rebuilt.
   * Absent means false: a counter, or rows that drive side effects, must never see an event twice.
   */
  readonly replaySafe?: boolean;
  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void>;
  /**
   * Optional: the whole batch at once (set-based SQL), with exactly the effect of `apply` on each
   * event in order. The runner falls back to `apply`, one event at a time, when the batch fails.
   */
  applyBatch?(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void>;
}

export const PROJECTORS = Symbol.for('ledgerline.Projectors');

/** The unit of work a projector is to the workers that share it out (docs/decisions/0016-work-leases.md). */
export const projectionUnitName = (projection: string): string => `projection:${projection}`;
