import type { Query } from '../api/api-schemas';
import { SUBSCRIPTION_STATUSES } from '../subscriptions/subscription-types';
import type { SortOrder } from '../ui/SortHeader';

type CustomersQuery = Query<'/customers', 'get'>;
export type CustomerSort = NonNullable<CustomersQuery['sort']>;

/** The order a column sorts in when first clicked: names A to Z, amounts and dates largest or newest first. */
const FIRST_ORDER: Record<CustomerSort, SortOrder> = { name: 'asc', email: 'asc', created: 'desc', balance: 'desc' };

/** The customer list's order and filters, as the URL holds them. */
export interface CustomerListParams {
  sort: CustomerSort;
  order: SortOrder;
  delinquent: CustomersQuery['delinquent'];
  subscriptionStatus: CustomersQuery['subscriptionStatus'];
}

/**
 * The order and filters in `?sort=&order=&delinquent=&subscriptionStatus=`. A value the API would
 * refuse (an old or hand-edited link) is read as its default, so the list still shows.
 */
export function customerListParams(params: URLSearchParams): CustomerListParams {
  const sort = params.get('sort');
  const delinquent = params.get('delinquent');
  const status = params.get('subscriptionStatus');
  return {
    sort: sort && sort in FIRST_ORDER ? (sort as CustomerSort) : 'name',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    delinquent: delinquent === 'true' || delinquent === 'false' ? delinquent : undefined,
    subscriptionStatus: SUBSCRIPTION_STATUSES.find((value) => value === status),
  };
}

/** The API's query for them; its defaults (by name, ascending) are left out, as in the URL. */
export function customerListQuery(list: CustomerListParams): Record<string, string | undefined> {
  return {
    sort: list.sort === 'name' ? undefined : list.sort,
    order: list.order === 'asc' ? undefined : list.order,
    delinquent: list.delinquent,
    subscriptionStatus: list.subscriptionStatus,
  };
}

/** What a click on a column's header sorts by: the sorted column turns around, another starts in its first order. */
export function sortedBy(list: CustomerListParams, sort: CustomerSort): CustomerListParams {
  const order = list.sort === sort ? (list.order === 'asc' ? 'desc' : 'asc') : FIRST_ORDER[sort];
  return { ...list, sort, order };
}

/** `current` with `changes` set, an empty or undefined value taking the name out. */
export function withParams(current: URLSearchParams, changes: Record<string, string | undefined>): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [name, value] of Object.entries(changes)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  return next;
}
