import { useSearchParams } from 'react-router';
import { formatCount, formatDateTime } from '../../ui/format';
import { customerPath } from '../customer-api';
import { withParams } from '../customer-list-params';
import type { ActivityEntry } from '../customer-types';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';
import { ActivityFilters, activityFilterOf, activityQuery } from './ActivityFilters';

/** One event can make several entries (an invoice paid and a renewal), so the kind is part of the key. */
const keyOf = (entry: ActivityEntry) => `${entry.event.storeEventId}:${entry.kind}:${entry.objectId ?? ''}`;

/**
 * What happened to the customer, newest first, in words: Stripe's events and support's commands;
 * only those about one kind of object, or between two days, when asked. The filters live in the
 * URL beside the tab (`?tab=activity&objectType=&from=&to=`), so reload and back keep them.
 */
export function ActivityTab({ customerId }: { customerId: string }) {
  const [params, setParams] = useSearchParams();
  const filter = activityFilterOf(params);
  const list = usePagedList<ActivityEntry>(customerPath(customerId, 'activity'), activityQuery(filter), 25, keyOf);
  const filtered = Boolean(filter.objectType || filter.from || filter.to);
  return (
    <>
      <ActivityFilters
        filter={filter}
        onChange={(changes) => setParams((current) => withParams(current, changes), { replace: true })}
      />
      {list.total && list.rows?.length ? (
        <p className="list-count">
          {formatCount(list.total, 'entry', 'entries')}
          {filtered ? ' matching these filters' : ''}
        </p>
      ) : null}
      <ListView list={list} empty={filtered ? 'No activity matches these filters.' : 'No activity yet.'}>
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
    </>
  );
}
