import { Link } from 'react-router';
import { can } from '../../session/capabilities';
import { useSession } from '../../session/session';
import { formatDateTime } from '../../ui/format';
import { customerPath } from '../customer-api';
import type { ProductAccess } from '../customer-types';
import { ListView } from '../ListView';
import { useWholeList } from '../use-paged-list';
import { Table } from '../../ui/Table';

/** Which products the customer may use now and since when, and what ended the others. */
export function AccessTab({ customerId }: { customerId: string }) {
  const { principal } = useSession();
  const list = useWholeList<ProductAccess>(customerPath(customerId, 'access'));
  const linked = can(principal?.role, 'subscriptions');
  return (
    <ListView list={list} empty="No product access.">
      {(access) => (
        <Table aria-label="Access">
          <thead>
            <tr>
              <th>Product</th>
              <th>Access</th>
              <th>Through</th>
              <th>Granted</th>
              <th>Ended or ends</th>
            </tr>
          </thead>
          <tbody>
            {access.map((entry) => (
              <tr key={`${entry.source}:${entry.sourceId}:${entry.productId}`}>
                <td>
                  <code>{entry.productId}</code>
                  {entry.platformProductIds.length ? (
                    <div className="muted">{entry.platformProductIds.join(', ')}</div>
                  ) : null}
                </td>
                <td>
                  {entry.active ? (
                    <span className="badge status-active">active</span>
                  ) : (
                    <span className="badge status-canceled">ended</span>
                  )}
                </td>
                <td>
                  {entry.source === 'subscription' && linked ? (
                    <Link to={`/subscriptions/${encodeURIComponent(entry.sourceId)}`}>{entry.sourceId}</Link>
                  ) : (
                    <>
                      {entry.source === 'purchase' ? 'purchase ' : ''}
                      <code>{entry.sourceId}</code>
                    </>
                  )}
                </td>
                <td>{formatDateTime(entry.granted.at)}</td>
                <td>
                  {entry.revoked ? formatDateTime(entry.revoked.at) : entry.endsAt ? formatDateTime(entry.endsAt) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </ListView>
  );
}
