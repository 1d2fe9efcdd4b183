import { Transform } from 'class-transformer';
import { isISO8601, IsISO8601, IsOptional, Matches, ValidateBy, type ValidationArguments } from 'class-validator';
import { timeBound } from '@ledgerline/events';

const ISO = { strict: true };

/** The bound's problem (no zone, fractions of a second), once the value is an ISO 8601 date or time. */
function boundProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !isISO8601(value, ISO)) return null; // IsISO8601 says so
  const bound = timeBound(value);
  return 'problem' in bound ? bound.problem : null;
}

/** A time bound the run can use: with a zone, in whole seconds (every problem reported with the others). */
function IsTimeBound(): PropertyDecorator {
  return ValidateBy({
    name: 'isTimeBound',
    validator: {
      validate: (value: unknown) => boundProblem(value) === null,
      defaultMessage: (args?: ValidationArguments) =>
        `$property ${boundProblem(args?.value)}, got "${String(args?.value)}"`,
    },
  });
}

/** `to` after `from`, checked with the other fields (once both are valid bounds). */
function IsAfterFrom(): PropertyDecorator {
  const seconds = (value: unknown) => {
    if (typeof value !== 'string' || !isISO8601(value, ISO)) return null;
    const bound = timeBound(value);
    return 'seconds' in bound ? bound.seconds : null;
  };
  return ValidateBy({
    name: 'isAfterFrom',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const [to, from] = [seconds(value), seconds((args?.object as { from?: unknown }).from)];
        return to === null || from === null || to > from;
      },
      defaultMessage: (args?: ValidationArguments) =>
        `to (${String(args?.value)}) must be after from (${String((args?.object as { from?: unknown }).from)})`,
    },
  });
}

/** `POST /reconciliation/runs`: the period [from, to) in UTC, and optionally one currency or Connect account. */
export class StartReconciliationRequest {
  @IsISO8601(ISO, { message: '$property must be an ISO 8601 date or time (2026-01-01, 2026-01-01T00:00:00Z)' })
  @IsTimeBound()
  from!: string;

  @IsISO8601(ISO, { message: '$property must be an ISO 8601 date or time (2026-01-01, 2026-01-01T00:00:00Z)' })
  @IsTimeBound()
  @IsAfterFrom()
  to!: string;

  /** Any case (`USD`, `usd`): kept in lower case, as Stripe writes currencies. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^[a-z]{3}$/, { message: '$property must be a three-letter ISO currency code (eur, usd)' })
  currency?: string;

  @IsOptional()
  @Matches(/^acct_[A-Za-z0-9]+$/, { message: '$property must be a Stripe Connect account id (acct_...)' })
  account?: string;
}
