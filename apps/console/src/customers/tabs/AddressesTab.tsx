import { formatAddress } from '../../ui/format';
import { customerPath } from '../customer-api';
import type { CustomerAddress } from '../customer-types';
import { ListView } from '../ListView';
import { useWholeList } from '../use-paged-list';
import { Table } from '../../ui/Table';

export function AddressesTab({ customerId }: { customerId: string }) {
  const list = useWholeList<CustomerAddress>(customerPath(customerId, 'addresses'));
  return (
    <ListView list={list} empty="No addresses.">
      {(addresses) => (
        <Table aria-label="Addresses">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Name</th>
              <th>Address</th>
              <th>Phone</th>
              <th>Source</th>
            </tr>
          </thead>
          <tbody>
            {addresses.map((address) => (
              <tr key={address.kind}>
                <td>{address.kind}</td>
                <td>{address.name ?? '—'}</td>
                <td>{formatAddress(address)}</td>
                <td>{address.phone ?? '—'}</td>
                <td>
                  {/* A platform address is one entered through Ledgerline, newer than what Stripe last said. */}
                  {address.source === 'platform' ? 'Entered in Ledgerline' : 'From Stripe'}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </ListView>
  );
}
