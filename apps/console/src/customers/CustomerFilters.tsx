import { SUBSCRIPTION_STATUSES } from '../subscriptions/subscription-types';
import type { CustomerListParams } from './customer-list-params';

/** The customer list's filters; each change goes to the URL with the search (`onChange`). */
export function CustomerFilters({
  list,
  onChange,
}: {
  list: CustomerListParams;
  onChange(changes: Record<string, string | undefined>): void;
}) {
  return (
    <div className="filters" role="group" aria-label="Filters">
      <label>
        Delinquent
        <select value={list.delinquent ?? ''} onChange={(event) => onChange({ delinquent: event.target.value })}>
          <option value="">Any</option>
          <option value="true">Delinquent</option>
          <option value="false">Not delinquent</option>
        </select>
      </label>
      <label>
        With a subscription
        <select
          value={list.subscriptionStatus ?? ''}
          onChange={(event) => onChange({ subscriptionStatus: event.target.value })}
        >
          <option value="">Any or none</option>
          {SUBSCRIPTION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
