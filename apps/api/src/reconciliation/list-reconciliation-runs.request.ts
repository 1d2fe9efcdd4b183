import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** `GET /reconciliation/runs?limit=&before=`: newest first; `before` is the `next` of the previous page. */
export class ListReconciliationRunsRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsUUID('all', { message: '$property must be a run id (the `next` of the previous page)' })
  before?: string;
}
