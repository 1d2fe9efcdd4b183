import { IsOptional, Matches, MaxLength } from 'class-validator';
import { PRODUCT_ID_PATTERN } from '@ledgerline/events';

/** `:productId` of the product routes: a platform product key. */
export class ProductParams {
  @Matches(PRODUCT_ID_PATTERN, {
    message:
      '$property must be a platform product key: lower-case letters, digits, _ and -, starting with a letter or digit, at most 64 characters',
  })
  productId!: string;
}

/** PUT /products/:productId/stripe-link. Without `account`, the Stripe product is the platform account's. */
export class LinkProductRequest {
  @Matches(/^prod_[A-Za-z0-9]+$/, { message: '$property must be a Stripe product id (prod_...)' })
  @MaxLength(255)
  stripeProductId!: string;

  @IsOptional()
  @Matches(/^acct_[A-Za-z0-9]+$/, { message: '$property must be a Stripe Connect account id (acct_...)' })
  @MaxLength(255)
  account?: string;
}
