import { formatDateTime } from '../../ui/format';
import { customerPath } from '../customer-api';
import type { ActivityEntry } from '../customer-types';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';

/** One event can make several entries (an invoice paid and a renewal), so the kind is part of the key. */
const keyOf = (entry: ActivityEntry) => `${entry.event.storeEventId}:${entry.kind}:${entry.objectId ?? ''}`;

/** What happened to the customer, newest first, in words: Stripe's events and support's commands. */
export function ActivityTab({ customerId }: { customerId: string }) {
  const list = usePagedList<ActivityEntry>(customerPath(customerId, 'activity'), {}, 25, keyOf);
  return (
    <ListView list={list} empty="No activity yet.">
      {(entries) => (
        <ol className="timeline" aria-label="Activity">
          {entries.map((entry) => (
            <li key={keyOf(entry)}>
              <div>
                <strong>{entry.summary}</strong>
              </div>
              <div className="muted">
                {formatDateTime(entry.occurredAt)} · {entry.actor ? `by ${entry.actor}` : 'Stripe'} ·{' '}
                <code>{entry.event.type}</code>
                {entry.objectId ? (
                  <>
                    {' '}
                    · <code>{entry.objectId}</code>
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </ListView>
  );
}
