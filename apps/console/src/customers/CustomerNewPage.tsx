import { Link, useNavigate } from 'react-router';
import type { CommandResult } from '../api/api-shapes';
import { useApiClient } from '../session/session';
import { waitForCustomer } from './customer-api';
import { EMPTY_CUSTOMER_FORM, registerBody } from './customer-form-values';
import { CustomerForm } from './CustomerForm';

/** New customer: `POST /customers`, then the new record once the read model has it. */
export function CustomerNewPage() {
  const api = useApiClient();
  const navigate = useNavigate();
  return (
    <div className="customers">
      <p className="breadcrumbs">
        <Link to="/customers">Customers</Link>
      </p>
      <h1>New customer</h1>
      <CustomerForm
        initial={EMPTY_CUSTOMER_FORM}
        submitLabel="Create customer"
        cancelTo="/customers"
        onSubmit={async (values, idempotencyKey) => {
          const answer = await api.post<CommandResult>('/customers', registerBody(values), { idempotencyKey });
          // Opened at once, the record could briefly be "not found" (the record page retries too), or
          // not say yet where its registration stands with Stripe.
          const registered = new Set(answer.events.map((event) => event.eventId));
          await waitForCustomer(api, answer.id, (customer) =>
            registered.has(customer.stripeSync?.commandEventId ?? ''),
          );
          navigate(`/customers/${answer.id}`, { state: { fresh: true, notice: 'Customer created.' } });
        }}
      />
    </div>
  );
}
