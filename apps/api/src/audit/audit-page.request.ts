import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** `GET /customers/:id/audit` and `GET /subscriptions/:id/audit`: `?limit=&after=&order=`. */
export class AuditPageRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** The `next` of the previous page. */
  @IsOptional()
  @IsString()
  after?: string;

  /** `asc` (default): oldest first, as an audit reads; `desc`: newest first. */
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}
