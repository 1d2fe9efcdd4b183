import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Page } from '@ledgerline/read-models';

/** `?limit=&offset=` on every list endpoint. */
export class PageRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export function pageOf(request: PageRequest): Page {
  return { limit: request.limit ?? 50, offset: request.offset ?? 0 };
}
