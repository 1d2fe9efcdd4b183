import { IsIn, IsOptional, ValidateBy, type ValidationArguments } from 'class-validator';
import { timeBound } from '@ledgerline/events';
import { ACTIVITY_OBJECT_TYPES, type ActivityFilter, type ActivityObjectType } from '@ledgerline/read-models';
import { PageRequest } from '../../shared/page.request';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Where a bound starts, in Unix seconds: a date at its UTC midnight; null when not a valid bound. */
function startOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const bound = timeBound(value);
  return 'seconds' in bound ? bound.seconds : null;
}

/** Where a `to` bound ends (exclusive): a date takes in its whole day, a time its whole second. */
function endOf(value: unknown): number | null {
  const start = startOf(value);
  if (start === null) return null;
  return start + (DATE.test(value as string) ? 86_400 : 1);
}

/** A date or a time with a zone, in whole seconds (timeBound, as reconciliation periods are typed). */
function IsWindowBound(): PropertyDecorator {
  return ValidateBy({
    name: 'isWindowBound',
    validator: {
      validate: (value: unknown) => startOf(value) !== null,
      defaultMessage: (args?: ValidationArguments) => {
        const bound = typeof args?.value === 'string' ? timeBound(args.value) : null;
        const problem = bound && 'problem' in bound ? bound.problem : 'needs an ISO 8601 date or time';
        return `$property ${problem}, got "${String(args?.value)}"`;
      },
    },
  });
}

/** `from` not after `to`, checked once both are valid bounds. */
function IsNotAfterTo(): PropertyDecorator {
  const toOf = (args?: ValidationArguments) => (args?.object as { to?: unknown } | undefined)?.to;
  return ValidateBy({
    name: 'isNotAfterTo',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const [start, end] = [startOf(value), endOf(toOf(args))];
        return start === null || end === null || start < end;
      },
      defaultMessage: (args?: ValidationArguments) =>
        `from (${String(args?.value)}) must not be after to (${String(toOf(args))})`,
    },
  });
}

/** GET /customers/:id/activity: the entries about one kind of object, in a window of time. */
export class CustomerActivityRequest extends PageRequest {
  /** The kind of object the entries are about, as the activity feed writes it. */
  @IsOptional()
  @IsIn(ACTIVITY_OBJECT_TYPES)
  objectType?: ActivityObjectType;

  /** Entries at or after this time (a date: from its start, UTC), e.g. 2026-01-01 or 2026-01-01T09:30:00Z. */
  @IsOptional()
  @IsWindowBound()
  @IsNotAfterTo()
  from?: string;

  /** Entries at or before this time (a date: through its end, UTC), e.g. 2026-01-31 or 2026-01-31T17:00:00Z. */
  @IsOptional()
  @IsWindowBound()
  to?: string;
}

export function activityFilterOf(request: CustomerActivityRequest): ActivityFilter {
  const from = startOf(request.from);
  const before = endOf(request.to);
  return {
    objectType: request.objectType,
    from: from === null ? undefined : new Date(from * 1000),
    before: before === null ? undefined : new Date(before * 1000),
  };
}
