import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** `POST /admin/backfill`: what to import (docs/backfill.md). Every field is optional. */
export class StartBackfillRequest {
  /** Object types, as a list or a comma-separated string (`customers,invoices`). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray({ message: '$property must be a list of object types (or a comma-separated string)' })
  @IsString({ each: true, message: '$property must be a list of object types' })
  objects?: string[];

  @IsOptional()
  @IsString({ message: '$property must be a date (2024-01-01) or a time with a zone' })
  since?: string;

  @IsOptional()
  @IsInt({ message: '$property must be a whole number of days' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(36_500, { message: '$property must be at most 36500' })
  days?: number;

  @IsOptional()
  @Matches(/^(acct_[A-Za-z0-9]+|all)$/, { message: '$property must be a Connect account id (acct_...) or "all"' })
  account?: string;

  /** Start anew instead of resuming an unfinished run of the same request. */
  @IsOptional()
  @IsBoolean({ message: '$property must be true or false' })
  restart?: boolean;
}
