import type { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import type { CustomerRef } from '../shared/paging';
import { actorOfEvent, describeEvent } from './event-description';

export interface AuditEntry {
  /** When it happened (Stripe's `created`, or the command's time); entries are in this order. */
  at: string;
  recordedAt: string;
  description: string;
  /** Who: an API key's name, `system:...`, `stripe:api`, `stripe:automatic`, or the actor behind a Ledgerline sync. */
  actor: string;
  /** For a Stripe echo of a Ledgerline call: the platform event that asked for it. */
  causedBy: string | null;
  eventId: string;
  type: string;
  stream: string;
  revision: number;
  position: number;
  source: string;
  correlationId: string | null;
  causationId: string | null;
  stripeEventId: string | null;
}

export interface AuditPage {
  customerId: string;
  entries: AuditEntry[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

export interface AuditQuery {
  limit: number;
  after?: string;
  order: 'asc' | 'desc';
}

/**
 * Every event that shaped a customer's record, from every stream that feeds it (its platform
 * stream, its Stripe customers, their subscriptions, invoices, charges, payment intents, refunds
 * and disputes), merged in time order, one line each with its actor (docs/audit.md).
 */
export async function customerAudit(
  dataSource: DataSource,
  store: EventStore,
  customer: CustomerRef,
  query: AuditQuery,
): Promise<AuditPage> {
  const refs = [customer.id, ...customer.stripeIds];
  const charges = await dataSource.query<{ object_id: string }[]>(
    `SELECT DISTINCT object_id FROM audit_index
      WHERE ref = ANY($1::text[]) AND event_type LIKE 'charge.%' AND object_id LIKE 'ch\\_%'`,
    [refs],
  );
  const all = [...refs, ...charges.map((row) => row.object_id)];
  const after = decodeCursor(query.after);
  const [compare, direction] = query.order === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
  const rows = await dataSource.query<{ event_id: string; occurred_at: Date; position: string }[]>(
    `SELECT DISTINCT event_id, occurred_at, position FROM audit_index
      WHERE ref = ANY($1::text[]) ${after ? `AND (occurred_at, position) ${compare} ($3, $4)` : ''}
      ORDER BY occurred_at ${direction}, position ${direction} LIMIT $2`,
    after ? [all, query.limit + 1, after.at, after.position] : [all, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  const events = await Promise.all(page.map((row) => store.readEventById(row.event_id)));
  const entries = page.flatMap((row, i) => (events[i] ? [auditEntryOf(events[i], row.occurred_at)] : []));
  await attributeEchoes(store, entries);
  const last = page[page.length - 1];
  return {
    customerId: customer.id,
    entries,
    next: rows.length > query.limit && last ? encodeCursor(last.occurred_at, last.position) : null,
  };
}

/** One event as an audit line. `occurredAt` defaults to the event's own (else when it was recorded). */
export function auditEntryOf(event: RecordedEvent, occurredAt?: Date): AuditEntry {
  const { actor, causedBy } = actorOfEvent(event);
  const metadata = event.metadata;
  return {
    at: occurredAt ? new Date(occurredAt).toISOString() : (metadata.occurredAt ?? metadata.recordedAt),
    recordedAt: metadata.recordedAt,
    description: describeEvent(event),
    actor,
    causedBy,
    eventId: event.id,
    type: event.type,
    stream: event.stream,
    revision: Number(event.revision),
    position: Number(event.position),
    source: metadata.source,
    correlationId: metadata.correlationId ?? null,
    causationId: metadata.causationId ?? null,
    stripeEventId: metadata.stripeEventId ?? null,
  };
}

/** A Stripe echo of a Ledgerline call is the doing of whoever issued the command behind it. */
export async function attributeEchoes(store: EventStore, entries: AuditEntry[]): Promise<void> {
  const causes = [...new Set(entries.flatMap((entry) => (entry.causedBy ? [entry.causedBy] : [])))];
  const actors = new Map<string, string>();
  for (const cause of await Promise.all(causes.map((id) => store.readEventById(id)))) {
    const actor = cause?.metadata.actor;
    if (cause && typeof actor === 'string') actors.set(cause.id, actor);
  }
  for (const entry of entries) {
    const actor = entry.causedBy ? actors.get(entry.causedBy) : undefined;
    if (actor) entry.actor = `${actor} (through stripe-sync)`;
  }
}

export function encodeCursor(occurredAt: Date, position: string): string {
  return Buffer.from(`${new Date(occurredAt).toISOString()}|${position}`).toString('base64url');
}

/** Throws on a cursor this code did not make: the API turns it into a 400. */
export function decodeCursor(cursor: string | undefined): { at: string; position: string } | null {
  if (!cursor) return null;
  const [at, position] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !position || Number.isNaN(Date.parse(at)) || !/^\d+$/.test(position)) {
    throw new InvalidCursorError(cursor);
  }
  return { at, position };
}

export class InvalidCursorError extends Error {
  constructor(readonly cursor: string) {
    super(`"${cursor}" is not a cursor of this audit trail: pass the "next" of a previous page`);
  }
}
