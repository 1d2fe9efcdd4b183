import type { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import { keptForm, MONEY_DIGEST_VERSION, type MoneyDigest, moneyDigestOf, parseDigest } from '../ledger/money-digest';

/** A money event as a run read it: its digest, or null when it tells the run nothing. */
export interface DigestedEvent {
  position: bigint;
  eventId: string;
  digest: MoneyDigest | null;
}

export function digestedEvent(event: RecordedEvent): DigestedEvent {
  return { position: event.position, eventId: event.id, digest: moneyDigestOf(event) };
}

/**
 * Money digests kept between reconciliation runs (decision 0015). A run reads the digests of the
 * log as far as they reach and only the events after that, then keeps the digests of those, so a
 * run parses each event's body once in the life of a digest version rather than once per run.
 * The digests are a pure function of immutable events; nothing but reconciliation writes them.
 */
export class MoneyDigests {
  constructor(
    private readonly dataSource: DataSource,
    readonly version: number = MONEY_DIGEST_VERSION,
  ) {}

  /**
   * How far the kept digests reach (0n: nowhere; older versions' are then dropped). They are
   * forgotten first if the store no longer holds the last event digested at its position: they were
   * made from another log (a store restored, reset or swapped under the same read-model database).
   */
  async coveredTo(store: EventStore): Promise<bigint> {
    const rows: { covered_to: string; last_event_id: string | null; last_event_position: string | null }[] =
      await this.dataSource.query(
        `SELECT covered_to, last_event_id, last_event_position FROM reconciliation_digest_coverage WHERE version = $1`,
        [this.version],
      );
    if (rows.length === 0) {
      await this.dropOlderVersions();
      return 0n;
    }
    const [{ covered_to, last_event_id, last_event_position }] = rows;
    if (last_event_id !== null) {
      const event = await store.readEventById(last_event_id);
      if (event === null || event.position !== BigInt(last_event_position!)) {
        await this.forget();
        return 0n;
      }
    }
    return BigInt(covered_to);
  }

  /**
   * The kept money events up to `upTo`, in position order, a page at a time: how many there were
   * (a run counts them as read) and the digests of those that tell a run something.
   */
  async *read(upTo: bigint, pageSize = 20_000): AsyncGenerator<{ events: number; digests: MoneyDigest[]; to: bigint }> {
    const page = (after: bigint): Promise<{ position: string; digest: string | null }[]> =>
      this.dataSource.query(
        `SELECT position, digest FROM reconciliation_digests
          WHERE version = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4`,
        [this.version, after.toString(), upTo.toString(), pageSize],
      );
    let next = page(-1n);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      const to = BigInt(rows[rows.length - 1]!.position);
      // The next page is read while this one is parsed and folded.
      if (rows.length === pageSize) {
        next = page(to);
        next.catch(() => undefined); // a run stopped meanwhile never awaits it; a run that goes on still sees its error
      }
      const digests: MoneyDigest[] = [];
      for (const row of rows) if (row.digest !== null) digests.push(parseDigest(BigInt(row.position), row.digest));
      yield { events: rows.length, digests, to };
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Keeps the digests of the money events a run read after `from` and up to `to` (store positions),
   * if the kept ones reach `from`: the kept range stays without gaps. Runs at once each keep what
   * they read; the same event always gives the same digest. Returns whether the range is now kept.
   */
  async keep(from: bigint, to: bigint, events: DigestedEvent[]): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO reconciliation_digest_coverage (version, covered_to) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
        [this.version],
      );
      const [{ covered_to }]: { covered_to: string }[] = await manager.query(
        `SELECT covered_to FROM reconciliation_digest_coverage WHERE version = $1 FOR UPDATE`,
        [this.version],
      );
      const covered = BigInt(covered_to);
      if (covered < from) return false;
      if (covered >= to) return true;
      const fresh = events.filter((event) => event.position > covered && event.position <= to);
      if (fresh.length > 0) {
        // One JSON document, not arrays of parameters: pg escapes array elements one by one in JS.
        await manager.query(
          `INSERT INTO reconciliation_digests (version, position, event_id, digest)
           SELECT $1, (x->>0)::bigint, x->>1, CASE WHEN json_typeof(x->2) = 'null' THEN NULL ELSE (x->2)::text END
             FROM json_array_elements($2::json) AS x
           ON CONFLICT DO NOTHING`,
          [
            this.version,
            JSON.stringify(fresh.map((event) => [event.position.toString(), event.eventId, keptForm(event.digest)])),
          ],
        );
      }
      const last = fresh[fresh.length - 1];
      await manager.query(
        `UPDATE reconciliation_digest_coverage
            SET covered_to = $2, last_event_id = COALESCE($3, last_event_id),
                last_event_position = COALESCE($4, last_event_position), updated_at = now()
          WHERE version = $1`,
        [this.version, to.toString(), last?.eventId ?? null, last?.position.toString() ?? null],
      );
      return true;
    });
  }

  /**
   * Digests of older versions are never read again: the first run of a new version drops them. Only
   * older ones, so a process still on an old version (a rolling deploy) never drops a newer one's.
   */
  private async dropOlderVersions(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM reconciliation_digests WHERE version < $1`, [this.version]);
      await manager.query(`DELETE FROM reconciliation_digest_coverage WHERE version < $1`, [this.version]);
    });
  }

  /** Drops this version's digests; the next run reads the whole log again. */
  async forget(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM reconciliation_digests WHERE version = $1`, [this.version]);
      await manager.query(`DELETE FROM reconciliation_digest_coverage WHERE version = $1`, [this.version]);
    });
  }
}
