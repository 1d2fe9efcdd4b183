import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  CUSTOMER_SORTS,
  type CustomerSearch,
  type CustomerSort,
  SORT_ORDERS,
  SUBSCRIPTION_STATUSES,
  type SortOrder,
  type SubscriptionStatus,
} from '@ledgerline/read-models';
import { PageRequest } from '../../shared/page.request';

export class SearchCustomersRequest extends PageRequest {
  /** Matched partially and literally (no wildcards) on names, email, address, phone, company. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  /** Default `name`. Customers without the value (no email, not yet in Stripe) come last either way. */
  @IsOptional()
  @IsIn(CUSTOMER_SORTS)
  sort?: CustomerSort;

  /** Default `asc`. */
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: SortOrder;

  /** `false` includes the customers Stripe has said nothing about yet. */
  @IsOptional()
  @IsIn(['true', 'false'])
  delinquent?: 'true' | 'false';

  /** Customers with at least one subscription in this status. */
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  subscriptionStatus?: SubscriptionStatus;
}

export function customerSearchOf(request: SearchCustomersRequest): CustomerSearch {
  return {
    q: request.q,
    sort: request.sort,
    order: request.order,
    delinquent: request.delinquent === undefined ? undefined : request.delinquent === 'true',
    subscriptionStatus: request.subscriptionStatus,
  };
}
