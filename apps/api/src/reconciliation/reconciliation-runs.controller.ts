import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal, Roles } from '@ledgerline/auth';
import { timeBound } from '@ledgerline/events';
import { type ReconciliationReport, type ReconciliationRun, reportCsv } from '@ledgerline/reconciliation';
import { ListReconciliationRunsRequest } from './list-reconciliation-runs.request';
import { ReconciliationRunner, TooManyRunsError } from './reconciliation-runner';
import { StartReconciliationRequest } from './start-reconciliation.request';

/** A run's id in the path: a uuid, or a 400 saying so. */
const RUN_ID = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(['id must be a run id (uuid)']) });

/**
 * Reconciliation runs for finance (docs/reconciliation.md): start one for a period, follow it, read
 * its report as JSON or, with `Accept: text/csv` or at `/:id/report.csv`, as CSV. Runs are kept and
 * listed.
 */
@Controller('reconciliation/runs')
@Roles('finance')
export class ReconciliationRunsController {
  constructor(private readonly runner: ReconciliationRunner) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async start(@Body() body: StartReconciliationRequest, @CurrentPrincipal() principal: Principal) {
    const from = secondsOf('from', body.from);
    const to = secondsOf('to', body.to);
    if (!(to > from)) throw new BadRequestException([`to (${body.to}) must be after from (${body.from})`]);
    const id = await this.runner
      .start({ from, to, currency: body.currency, account: body.account }, principal.name)
      .catch((error: unknown) => {
        if (error instanceof TooManyRunsError) throw new HttpException(error.message, HttpStatus.TOO_MANY_REQUESTS);
        throw error;
      });
    return withLinks((await this.runner.runs.get(id))!);
  }

  @Get()
  async list(@Query() query: ListReconciliationRunsRequest) {
    const { runs, next } = await this.runner.runs.list({ limit: query.limit ?? 20, before: query.before });
    return { data: runs.map(withLinks), next };
  }

  /** The run and its report (JSON), or the report alone as CSV when the client accepts only that. */
  @Get(':id')
  @ApiProduces('application/json', 'text/csv')
  async get(@Param('id', RUN_ID) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { run, report } = await this.runWithReport(id);
    if (request.accepts(['application/json', 'text/csv']) === 'text/csv') return csvOf(run, report, response);
    return { ...withLinks(run), report };
  }

  /**
   * The report as CSV whatever the client accepts: for a link or a download button (the console's),
   * which cannot choose the Accept header of the request.
   */
  @Get(':id/report.csv')
  @ApiProduces('text/csv')
  async csv(@Param('id', RUN_ID) id: string, @Res({ passthrough: true }) response: Response) {
    const { run, report } = await this.runWithReport(id);
    return csvOf(run, report, response);
  }

  private async runWithReport(id: string): Promise<{ run: ReconciliationRun; report: ReconciliationReport | null }> {
    const run = await this.runner.runs.get(id);
    if (!run) throw new NotFoundException(`No reconciliation run ${id}`);
    const text = await this.runner.runs.report(id);
    return { run, report: text === null ? null : (JSON.parse(text) as ReconciliationReport) };
  }
}

/** The report as a CSV attachment named after its period; 409 while the run has no report. */
function csvOf(run: ReconciliationRun, report: ReconciliationReport | null, response: Response): string {
  if (!report) {
    throw new ConflictException(
      `Run ${run.id} is ${run.status}: it has no report${run.error ? ` (${run.error})` : ''}`,
    );
  }
  response.type('text/csv; charset=utf-8');
  response.attachment(
    `reconciliation-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}-${run.id}.csv`,
  );
  return reportCsv(report);
}

/** The CLI's rule for a period bound (a date, or a time with a zone, in whole seconds). */
function secondsOf(name: 'from' | 'to', value: string): number {
  const bound = timeBound(value);
  if ('problem' in bound) throw new BadRequestException([`${name} ${bound.problem}, got "${value}"`]);
  return bound.seconds;
}

function withLinks(run: ReconciliationRun) {
  const self = `/reconciliation/runs/${run.id}`;
  return { ...run, links: { self, csv: `${self}/report.csv` } };
}
