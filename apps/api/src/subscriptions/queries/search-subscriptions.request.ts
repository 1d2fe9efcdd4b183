import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '@ledgerline/read-models';
import { PageRequest } from '../../shared/page.request';

export class SearchSubscriptionsRequest extends PageRequest {
  /** Matched partially and literally on the customer's name, email, phone, company or department. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: SubscriptionStatus;
}
