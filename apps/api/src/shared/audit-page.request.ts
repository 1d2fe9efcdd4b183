import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { type AuditQuery, InvalidCursorError } from '@ledgerline/read-models';

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

/**
 * One page of an audit trail with the request's defaults (100 lines, oldest first); a cursor the
 * trail did not make (only the query can tell) is a 400 naming it.
 */
export async function auditPage<T>(request: AuditPageRequest, read: (query: AuditQuery) => Promise<T>): Promise<T> {
  try {
    return await read({ limit: request.limit ?? 100, after: request.after, order: request.order ?? 'asc' });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestException(error.message);
    throw error;
  }
}
