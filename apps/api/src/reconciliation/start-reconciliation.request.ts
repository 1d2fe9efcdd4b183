import { IsISO8601, IsOptional, Matches } from 'class-validator';

/** `POST /reconciliation/runs`: the period [from, to) in UTC, and optionally one currency or Connect account. */
export class StartReconciliationRequest {
  @IsISO8601(
    { strict: true },
    { message: '$property must be an ISO 8601 date or time (2026-01-01, 2026-01-01T00:00:00Z)' },
  )
  from!: string;

  @IsISO8601(
    { strict: true },
    { message: '$property must be an ISO 8601 date or time (2026-01-01, 2026-01-01T00:00:00Z)' },
  )
  to!: string;

  @IsOptional()
  @Matches(/^[a-z]{3}$/, { message: '$property must be a three-letter ISO currency code in lower case (eur, usd)' })
  currency?: string;

  @IsOptional()
  @Matches(/^acct_[A-Za-z0-9]+$/, { message: '$property must be a Stripe Connect account id (acct_...)' })
  account?: string;
}
