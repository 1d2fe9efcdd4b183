import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { PaymentCollection } from '@ledgerline/events';
import { AddressRequest } from '../../shared/address.request';

export const COLLECTIONS: PaymentCollection[] = ['card_on_file', 'send_invoice', 'offline'];
const STRIPE_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** POST /subscriptions. */
export class StartSubscriptionRequest {
  /** Platform id or Stripe `cus_` id. */
  @IsString()
  @IsNotEmpty()
  customerId!: string;

  /** A `price_` id or a legacy plan id. */
  @Matches(STRIPE_ID, { message: '$property must be a Stripe price or plan id' })
  priceId!: string;

  @IsOptional()
  @Matches(STRIPE_ID, { message: '$property must be a Stripe coupon id' })
  couponId?: string;

  /** Omitted: the price's trial; 0: none; otherwise days. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(730)
  trialDays?: number;

  /** How it is paid: the card on file, an invoice sent to the customer, or offline. */
  @IsIn(COLLECTIONS, { message: `$property must be one of ${COLLECTIONS.join(', ')}` })
  collection!: PaymentCollection;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  giftRecipientId?: string;

  @IsOptional()
  @IsObject() // ValidateNested passes an array ([] has nothing to check), which postalAddress cannot read
  @ValidateNested()
  @Type(() => AddressRequest)
  shippingAddress?: AddressRequest;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  shipmentsRemaining?: number;
}

/** PATCH /subscriptions/:id. */
export class ChangeSubscriptionRequest {
  @IsOptional()
  @IsObject() // ValidateNested passes an array ([] has nothing to check), which postalAddress cannot read
  @ValidateNested()
  @Type(() => AddressRequest)
  shippingAddress?: AddressRequest;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  shipmentsRemaining?: number;
}

/** POST /subscriptions/:id/cancel. */
export class CancelSubscriptionRequest {
  @IsIn(['now', 'period_end'], { message: '$property must be "now" or "period_end"' })
  when!: 'now' | 'period_end';

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** POST /subscriptions/:id/change-plan. */
export class ChangePlanRequest {
  @Matches(STRIPE_ID, { message: '$property must be a Stripe price or plan id' })
  priceId!: string;
}
