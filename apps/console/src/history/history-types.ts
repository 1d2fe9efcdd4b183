import type { Answer, Schemas } from '../api/api-schemas';

/** One line of an audit trail (`GET /customers/:id/audit`, `GET /subscriptions/:id/audit`). */
export type AuditEntry = Schemas['AuditEntry'];

/** A page of either trail: its entries and the cursor of the next page. */
export type AuditPage = Schemas['AuditPage'] | Schemas['SubscriptionAuditPage'];

/** What `GET /<collection>/:id` answers, now or as of an instant (`?asOf=`). */
export interface HistoryRecords {
  customers: Answer<'/customers/{id}', 'get'>;
  subscriptions: Answer<'/subscriptions/{id}', 'get'>;
}

/** `customers` or `subscriptions`: the API's and the console's path segment. */
export type HistoryCollection = keyof HistoryRecords;

/** A field of a record as support reads it: its label and how to show its value. */
export interface RecordField<R> {
  label: string;
  value(record: R): string;
}

/** What the History page needs to know of one kind of record. */
export interface HistorySubject<C extends HistoryCollection> {
  collection: C;
  noun: string;
  fields: RecordField<HistoryRecords[C]>[];
  titleOf(record: HistoryRecords[C]): string;
}
