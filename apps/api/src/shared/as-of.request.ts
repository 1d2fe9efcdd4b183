import { IsISO8601, IsOptional } from 'class-validator';
import type { Response } from 'express';
import type { AsOfInfo } from '@ledgerline/read-models';

/** `?asOf=<ISO 8601 time>` on a record: the record as it stood then (docs/time-travel.md). */
export class AsOfRequest {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 time, e.g. 2026-11-03T09:30:00Z' })
  asOf?: string;
}

/** How the past record was computed, for whoever wonders why it looks as it does. */
export function setAsOfHeaders(response: Response, asOf: Date, info: AsOfInfo): void {
  response.setHeader('Ledgerline-As-Of', asOf.toISOString());
  response.setHeader('Ledgerline-Snapshot-Events', String(info.snapshotEvents));
  response.setHeader('Ledgerline-Events-Folded', String(info.eventsRead));
}
