import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useRefreshWhile } from '../api/use-refresh-while';
import { awaitingStripeSync } from '../ui/StripeSyncNote';
import { Loading } from '../ui/Loading';
import { type Tab, Tabs } from '../ui/Tabs';
import { loadCustomer } from './customer-api';
import { CustomerHeader } from './CustomerHeader';
import { AccessTab } from './tabs/AccessTab';
import { ActivityTab } from './tabs/ActivityTab';
import { AddressesTab } from './tabs/AddressesTab';
import { InvoicesTab } from './tabs/InvoicesTab';
import { NotificationsTab } from './tabs/NotificationsTab';
import { PaymentMethodsTab } from './tabs/PaymentMethodsTab';
import { PaymentsTab } from './tabs/PaymentsTab';
import { SubscriptionsTab } from './tabs/SubscriptionsTab';
import './customers.css';

/** Right after a create, the read model may need a moment before it knows the customer. */
const FRESH_RECORD_RETRY_MS = 8_000;

/**
 * The customer record: the facts and actions on top, the tabs below. The open tab is in the URL
 * (`?tab=payments`), so reload, back and a shared link open the same tab. Each tab loads its own
 * rows when opened, with the record's platform id (the route may name a Stripe `cus_` id).
 */
export function CustomerRecordPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const state = useLocation().state as { fresh?: boolean; notice?: string } | null;
  const retry = state?.fresh ? FRESH_RECORD_RETRY_MS : 0;
  const customer = useApi((api, signal) => loadCustomer(api, id, signal, retry), [id]);
  // An edit on its way to Stripe (pending, being retried): the header says so until it arrives.
  useRefreshWhile(awaitingStripeSync(customer.data?.stripeSync), customer);

  return (
    <div className="customers">
      <p className="breadcrumbs">
        <Link to="/customers">Customers</Link>
      </p>
      {state?.notice ? (
        <p role="status" className="notice">
          {state.notice}
        </p>
      ) : null}
      <Loading loaded={customer}>
        {(loaded) => {
          const tabs: Tab[] = [
            { id: 'subscriptions', label: 'Subscriptions', render: () => <SubscriptionsTab customerId={loaded.id} /> },
            { id: 'addresses', label: 'Addresses', render: () => <AddressesTab customerId={loaded.id} /> },
            { id: 'payments', label: 'Payments', render: () => <PaymentsTab customerId={loaded.id} /> },
            {
              id: 'payment-methods',
              label: 'Payment methods',
              render: () => <PaymentMethodsTab customerId={loaded.id} />,
            },
            { id: 'invoices', label: 'Invoices', render: () => <InvoicesTab customerId={loaded.id} /> },
            { id: 'activity', label: 'Activity', render: () => <ActivityTab customerId={loaded.id} /> },
            { id: 'notifications', label: 'Notifications', render: () => <NotificationsTab customerId={loaded.id} /> },
            { id: 'access', label: 'Access', render: () => <AccessTab customerId={loaded.id} /> },
          ];
          return (
            <>
              <CustomerHeader customer={loaded} />
              <section className="card">
                <Tabs
                  tabs={tabs}
                  selected={params.get('tab') ?? 'subscriptions'}
                  // Replace, not push: Back leaves the record instead of walking through its tabs.
                  onSelect={(tab) => setParams({ tab }, { replace: true })}
                />
              </section>
            </>
          );
        }}
      </Loading>
    </div>
  );
}
