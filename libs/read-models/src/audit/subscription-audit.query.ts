import type { DataSource } from 'typeorm';
import type { EventStore } from '@ledgerline/event-store';
import { historyKeyOf, historyStreamsOf } from '../history/time-travel';
import { auditFactsOf } from './audit-refs';
import {
  type AuditEntry,
  auditEntryOf,
  type AuditQuery,
  attributeEchoes,
  decodeCursor,
  encodeCursor,
} from './customer-audit.query';

export interface SubscriptionAuditPage {
  subscriptionId: string;
  entries: AuditEntry[];
  next: string | null;
}

/**
 * Every event of the streams that make up a subscription's record (its platform stream: commands
 * and Stripe sync outcomes; its Stripe subscription(s): webhooks and backfill), in time order, one
 * audit line each, paged like the customer's trail. The streams are the ones time travel folds
 * (entity_history_streams), so the trail and "as of" always speak of the same events. A
 * subscription has tens to hundreds of events, so they are read whole and paged in memory.
 * Null when the subscription is unknown.
 */
export async function subscriptionAudit(
  dataSource: DataSource,
  store: EventStore,
  id: string,
  query: AuditQuery,
): Promise<SubscriptionAuditPage | null> {
  const key = await historyKeyOf(dataSource, 'subscription', id);
  if (!key) return null;
  const streams = await historyStreamsOf(dataSource, 'subscription', key);
  // readStream without maxCount reads a stream whole (a stream never written reads as empty).
  const events = (await Promise.all(streams.map((stream) => store.readStream(stream)))).flat();
  if (events.length === 0) return null;
  const sign = query.order === 'asc' ? 1 : -1;
  const lines = events
    .map((event) => ({ event, at: new Date(auditFactsOf(event).occurredAt) }))
    .sort((a, b) => sign * (a.at.getTime() - b.at.getTime() || Number(a.event.position - b.event.position)));
  const after = decodeCursor(query.after);
  const start = after
    ? lines.findIndex((line) => {
        const byTime = sign * (line.at.getTime() - Date.parse(after.at));
        return byTime > 0 || (byTime === 0 && sign * Number(line.event.position - BigInt(after.position)) > 0);
      })
    : 0;
  const page = start < 0 ? [] : lines.slice(start, start + query.limit);
  const entries = page.map((line) => auditEntryOf(line.event, line.at));
  await attributeEchoes(store, entries);
  const last = page[page.length - 1];
  const more = start >= 0 && start + query.limit < lines.length;
  return {
    subscriptionId: key,
    entries,
    next: more && last ? encodeCursor(last.at, last.event.position.toString()) : null,
  };
}
