import { formatDateTime } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { customerPath } from '../customer-api';
import type { CustomerNotification } from '../customer-types';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';
import { Table } from '../../ui/Table';

/** The messages the customer was (or is to be) sent, with the delivery attempts: "did they get it?". */
export function NotificationsTab({ customerId }: { customerId: string }) {
  const list = usePagedList<CustomerNotification>(customerPath(customerId, 'notifications'));
  return (
    <ListView list={list} empty="No notifications.">
      {(notifications) => (
        <Table aria-label="Notifications">
          <thead>
            <tr>
              <th>Occurred</th>
              <th>Notification</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Sent</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {notifications.map((notification) => (
              <tr key={notification.id} className={notification.status === 'failed' ? 'warn' : undefined}>
                <td>{formatDateTime(notification.occurredAt)}</td>
                <td>{notification.kind.replace(/_/g, ' ')}</td>
                <td>
                  <StatusBadge status={notification.status} />
                </td>
                <td>{notification.attempts}</td>
                <td>
                  {notification.sentAt
                    ? formatDateTime(notification.sentAt)
                    : notification.nextAttemptAt
                      ? `next try ${formatDateTime(notification.nextAttemptAt)}`
                      : (notification.waitingBecause ?? '—')}
                </td>
                <td>{notification.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </ListView>
  );
}
