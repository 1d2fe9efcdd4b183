import type { RecordedEvent } from '@ledgerline/event-store';
import type { ProjectionTransaction, Projector } from '@ledgerline/projections';
import { auditFactsOf } from './audit-refs';

/**
 * The audit index: one row per event and the customer it concerns (by platform id, Stripe id, or
 * charge), over every event in the store. Platform events that name no customer belong to the
 * customer their stream's earlier events named. Rows are keyed by (ref, position) and only
 * inserted, so a replay changes nothing.
 */
export class AuditIndexProjector implements Projector {
  readonly name = 'audit_index';
  readonly version = 1;
  readonly tables = ['audit_index', 'audit_streams'];
  /** Every event: the audit trail answers "what happened to X" for any stream, typed or not. */
  readonly handles = 'all';
  /** Insert-only rows keyed by the event: applying an event again changes nothing. */
  readonly replaySafe = true;

  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    return this.applyBatch([event], tx);
  }

  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const facts = events.map((event) => ({ event, ...auditFactsOf(event) }));
    const streamRefs = new Map<string, string>();
    const unnamed = facts.filter((f) => !f.ref && f.event.metadata.source !== 'stripe').map((f) => f.event.stream);
    if (unnamed.length) {
      const known = await tx.query<{ stream: string; ref: string }>(
        `SELECT stream, ref FROM ${tx.table('audit_streams')} WHERE stream = ANY($1::text[])`,
        [[...new Set(unnamed)]],
      );
      for (const { stream, ref } of known) streamRefs.set(stream, ref);
    }
    const rows: Record<string, unknown>[] = [];
    const newStreams = new Map<string, string>();
    for (const fact of facts) {
      const platform = fact.event.metadata.source !== 'stripe' && fact.event.metadata.source !== 'backfill';
      if (platform && fact.ref && !streamRefs.has(fact.event.stream)) {
        streamRefs.set(fact.event.stream, fact.ref);
        newStreams.set(fact.event.stream, fact.ref);
      }
      const ref = fact.ref ?? (platform ? streamRefs.get(fact.event.stream) : undefined);
      if (!ref) continue;
      rows.push({
        ref,
        position: fact.event.position.toString(),
        occurred_at: fact.occurredAt,
        event_id: fact.event.id,
        event_type: fact.event.type,
        object_id: fact.objectId,
      });
    }
    if (rows.length) {
      await tx.query(
        `INSERT INTO ${tx.table('audit_index')} (ref, position, occurred_at, event_id, event_type, object_id)
         SELECT ref, position, occurred_at, event_id, event_type, object_id
           FROM json_to_recordset($1::json) AS x(ref text, position bigint, occurred_at timestamptz, event_id uuid, event_type text, object_id text)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(rows)],
      );
    }
    if (newStreams.size) {
      await tx.query(
        `INSERT INTO ${tx.table('audit_streams')} (stream, ref)
         SELECT stream, ref FROM json_to_recordset($1::json) AS x(stream text, ref text) ON CONFLICT DO NOTHING`,
        [JSON.stringify([...newStreams].map(([stream, ref]) => ({ stream, ref })))],
      );
    }
  }
}
