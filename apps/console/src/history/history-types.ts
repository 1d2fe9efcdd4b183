/** One line of an audit trail (`GET /customers/:id/audit`, `GET /subscriptions/:id/audit`). */
export interface AuditEntry {
  at: string;
  recordedAt: string;
  description: string;
  actor: string;
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
  entries: AuditEntry[];
  next: string | null;
}

export type RecordView = Record<string, unknown>;

/** A field of a record as support reads it: its label and how to show its value. */
export interface RecordField {
  label: string;
  value(record: RecordView): string;
}

/** What the History page needs to know of one kind of record. */
export interface HistorySubject {
  /** `customers` or `subscriptions`: the API's and the console's path segment. */
  collection: 'customers' | 'subscriptions';
  noun: string;
  fields: RecordField[];
  titleOf(record: RecordView): string;
}
