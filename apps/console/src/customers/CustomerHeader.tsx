import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { newIdempotencyKey } from '../api/api-client';
import { can } from '../session/capabilities';
import { useApiClient, useSession } from '../session/session';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatAddress, formatDateTime, formatMoney } from '../ui/format';
import { StripeSyncNote } from '../ui/StripeSyncNote';
import { customerPath, displayName, waitForCustomer } from './customer-api';
import type { CustomerRecord } from './customer-types';
import { CopyButton, StripeIdRef } from '../ui/StripeIdRef';

/**
 * The record's facts and what may be done with it: Edit, Delete (asked first), History; and where
 * its latest command (register, edit, delete) stands with Stripe, unless synced.
 */
export function CustomerHeader({ customer }: { customer: CustomerRecord }) {
  const api = useApiClient();
  const { principal } = useSession();
  const navigate = useNavigate();
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const name = displayName(customer);
  const path = `/customers/${encodeURIComponent(customer.id)}`;
  const billing = customer.addresses.find((a) => a.kind === 'billing');
  const shipping = customer.addresses.find((a) => a.kind === 'shipping');

  const remove = async () => {
    setDeleteError(null);
    try {
      await api.delete(customerPath(customer.id), { idempotencyKey: newIdempotencyKey() });
      // Searches leave a customer out once the read model marks it deleted: wait for that first.
      await waitForCustomer(api, customer.id, (c) => c.deleted);
      navigate('/customers', { state: { notice: `${name} was deleted.` } });
    } catch (error) {
      setDeleteError(error);
    }
  };

  return (
    <section className="card record-header" aria-label="Customer">
      <div className="toolbar">
        <h1 className="grow">
          {name} {customer.deleted ? <span className="badge status-canceled">deleted</span> : null}
          {customer.delinquent ? <span className="badge status-past_due">delinquent</span> : null}
          {customer.livemode === false ? <span className="badge">test mode</span> : null}
        </h1>
        <div className="actions">
          {!customer.deleted ? (
            <>
              <Link className="button" to={`${path}/edit`}>
                Edit
              </Link>
              {can(principal?.role, 'subscriptions') ? (
                <Link className="button" to={`/subscriptions/new?customerId=${encodeURIComponent(customer.id)}`}>
                  Start subscription
                </Link>
              ) : null}
              <ConfirmButton
                label="Delete"
                confirmLabel="Delete customer"
                question={
                  <>
                    <p>
                      Delete <strong>{name}</strong>?
                    </p>
                    <p className="muted">
                      The customer leaves searches and is deleted in Stripe too. The record and its history stay
                      readable.
                    </p>
                  </>
                }
                onConfirm={remove}
              />
            </>
          ) : null}
          {can(principal?.role, 'history') ? (
            <Link className="button" to={`${path}/history`}>
              History
            </Link>
          ) : null}
        </div>
      </div>
      <ErrorMessage error={deleteError} />
      <StripeSyncNote sync={customer.stripeSync} />
      {customer.deleted ? (
        <p className="notice-warn">
          This customer was deleted: it is left out of searches and can no longer be changed.
        </p>
      ) : null}
      <div className="grid-2">
        <dl className="facts">
          <dt>Email</dt>
          <dd>{customer.email ? <a href={`mailto:${customer.email}`}>{customer.email}</a> : '—'}</dd>
          <dt>Phone</dt>
          <dd>{customer.phone ?? '—'}</dd>
          <dt>Billing address</dt>
          <dd>{formatAddress(billing)}</dd>
          {shipping ? (
            <>
              <dt>Shipping address</dt>
              <dd>{formatAddress(shipping)}</dd>
            </>
          ) : null}
          {customer.company || customer.department ? (
            <>
              <dt>Company</dt>
              <dd>{[customer.company, customer.department].filter(Boolean).join(', ')}</dd>
            </>
          ) : null}
          {customer.balance ? (
            <>
              <dt>Balance</dt>
              <dd>{balanceText(customer.balance, customer.currency)}</dd>
            </>
          ) : null}
        </dl>
        <dl className="facts">
          <dt>Customer id</dt>
          <dd>
            <code>{customer.id}</code> <CopyButton text={customer.id} />
          </dd>
          <dt>Stripe customer</dt>
          <dd>
            {customer.stripeIds.length > 0
              ? customer.stripeIds.map((stripeId) => (
                  <div key={stripeId}>
                    <StripeIdRef id={stripeId} place={customer} />
                  </div>
                ))
              : 'not in Stripe yet'}
          </dd>
          {customer.stripeCreated ? (
            <>
              <dt>Created in Stripe</dt>
              <dd>{formatDateTime(customer.stripeCreated)}</dd>
            </>
          ) : null}
          <dt>Last change</dt>
          <dd>{formatDateTime(customer.lastEventAt)}</dd>
        </dl>
      </div>
    </section>
  );
}

/** Stripe's balance is what the customer owes; a negative one is a credit they have. */
export function balanceText(balance: number, currency: string | null): string {
  return balance < 0 ? `${formatMoney(-balance, currency)} credit` : `${formatMoney(balance, currency)} owed`;
}
