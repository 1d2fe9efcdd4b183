import { Link, useNavigate, useParams } from 'react-router';
import type { CommandResult } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { useApiClient } from '../session/session';
import { Loading } from '../ui/Loading';
import { displayName, loadCustomer, customerPath, waitForCustomer } from './customer-api';
import { changeBody, formValuesOf, showsChange } from './customer-form-values';
import { CustomerForm } from './CustomerForm';
import type { CustomerRecord } from './customer-types';

/** Edit customer: `PATCH /customers/:id` with only the fields that changed. */
export function CustomerEditPage() {
  const { id = '' } = useParams();
  const api = useApiClient();
  const navigate = useNavigate();
  const customer = useApi((client, signal) => loadCustomer(client, id, signal), [id]);
  const recordPath = `/customers/${encodeURIComponent(id)}`;

  return (
    <div className="customers">
      <Loading loaded={customer}>
        {(loaded) => {
          const initial = formValuesOf(loaded);
          return (
            <>
              <p className="breadcrumbs">
                <Link to="/customers">Customers</Link> › <Link to={recordPath}>{displayName(loaded)}</Link>
              </p>
              <h1>Edit {displayName(loaded)}</h1>
              {loaded.deleted ? (
                <p className="error" role="alert">
                  This customer was deleted and can no longer be edited.
                </p>
              ) : (
                <CustomerForm
                  // A different customer (or the same after a reload) starts a fresh form.
                  key={`${loaded.id}:${loaded.lastEventAt ?? ''}`}
                  initial={initial}
                  submitLabel="Save changes"
                  cancelTo={recordPath}
                  requireChange
                  onSubmit={async (values, idempotencyKey) => {
                    const body = changeBody(initial, values);
                    const answer = await api.patch<CommandResult>(customerPath(loaded.id), body, { idempotencyKey });
                    // The record opened next shows the change, and where the edit stands with Stripe.
                    const edits = new Set(answer.events.map((event) => event.eventId));
                    const shown = (c: CustomerRecord) =>
                      showsChange(c, body) && edits.has(c.stripeSync?.commandEventId ?? '');
                    if (answer.events.length > 0) await waitForCustomer(api, loaded.id, shown);
                    navigate(recordPath, { state: { notice: 'Changes saved.' } });
                  }}
                />
              )}
            </>
          );
        }}
      </Loading>
    </div>
  );
}
