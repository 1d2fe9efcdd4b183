import type { Query } from '../../api/api-schemas';

type ActivityObjectType = NonNullable<Query<'/customers/{id}/activity', 'get'>['objectType']>;

/** The kinds of object the feed writes, in support's words; a kind the API adds fails to compile until named. */
const OBJECT_TYPES: Record<ActivityObjectType, string> = {
  customer: 'Customer',
  subscription: 'Subscription',
  invoice: 'Invoice',
  'checkout.session': 'Checkout',
  charge: 'Charge (refunds)',
  dispute: 'Dispute',
  payment: 'Payment (refund requests)',
  card: 'Card',
  source: 'Payment source',
  payment_method: 'Payment method',
  stripe_sync: 'Stripe sync',
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The activity tab's filters as the URL holds them: a kind of object, and days as the date inputs give them. */
export interface ActivityFilter {
  objectType?: ActivityObjectType;
  from?: string;
  to?: string;
}

/** The filter in `?objectType=&from=&to=`; a value the API would refuse (a hand-edited link) is left out. */
export function activityFilterOf(params: URLSearchParams): ActivityFilter {
  const objectType = params.get('objectType');
  const day = (name: string) => (DAY.test(params.get(name) ?? '') ? (params.get(name) ?? undefined) : undefined);
  return {
    objectType: objectType && objectType in OBJECT_TYPES ? (objectType as ActivityObjectType) : undefined,
    from: day('from'),
    to: day('to'),
  };
}

/**
 * The API's query: the days are this browser's, as the feed shows its times, so they go as the
 * times their local day starts and ends (the API counts a time to the end of its second).
 */
export function activityQuery(filter: ActivityFilter): Record<string, string | undefined> {
  const at = (day: string | undefined, ...time: number[]) => {
    const [, year, month, date] = (day && DAY.exec(day)) || [];
    return year ? new Date(Number(year), Number(month) - 1, Number(date), ...time).toISOString() : undefined;
  };
  return { objectType: filter.objectType, from: at(filter.from, 0, 0, 0), to: at(filter.to, 23, 59, 59) };
}

/** A kind of object and two days above the feed; each change goes to the URL (`onChange`). */
export function ActivityFilters({
  filter,
  onChange,
}: {
  filter: ActivityFilter;
  onChange(changes: Record<string, string | undefined>): void;
}) {
  return (
    <div className="filters" role="group" aria-label="Activity filters">
      <label>
        About
        <select value={filter.objectType ?? ''} onChange={(event) => onChange({ objectType: event.target.value })}>
          <option value="">Anything</option>
          {Object.entries(OBJECT_TYPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input
          type="date"
          value={filter.from ?? ''}
          max={filter.to}
          onChange={(event) => onChange({ from: event.target.value })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={filter.to ?? ''}
          min={filter.from}
          onChange={(event) => onChange({ to: event.target.value })}
        />
      </label>
    </div>
  );
}
