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
  ServiceUnavailableException,
} from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@ledgerline/auth';
import { BackfillBusyError, BackfillRequestError, backfillRequestOf } from '@ledgerline/backfill';
import { BackfillRunner, StripeKeyMissingError, TooManyBackfillsError } from './backfill-runner';
import { StartBackfillRequest } from './start-backfill.request';

const runId = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException(['id must be a backfill run id (uuid)']),
});

/**
 * Backfills for admins (docs/backfill.md): start or resume one, follow its counts and ETA, stop it.
 * Admin-only: a backfill spends the Stripe key's rate limit and writes to every read model.
 */
@Controller('admin/backfill')
export class BackfillController {
  constructor(private readonly runner: BackfillRunner) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async start(@Body() body: StartBackfillRequest, @CurrentPrincipal() principal: Principal) {
    let request;
    try {
      request = backfillRequestOf({ objects: body.objects, since: body.since, days: body.days, account: body.account });
    } catch (error) {
      if (error instanceof BackfillRequestError) throw new BadRequestException([error.message]);
      throw error;
    }
    const started = await this.guard(() => this.runner.start(request, principal.name, { restart: body.restart }));
    return { ...(await this.runner.runs.get(started.id))!, resumed: started.resumed };
  }

  @Get()
  async list(@Query('limit') limit?: string) {
    const count = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      throw new BadRequestException(['limit must be a whole number from 1 to 100']);
    }
    return { data: await this.runner.runs.list(count) };
  }

  @Get(':id')
  async get(@Param('id', runId) id: string) {
    const run = await this.runner.runs.get(id);
    if (!run) throw new NotFoundException(`No backfill run ${id}`);
    return run;
  }

  /** Stops the run after the page in hand (in whichever process runs it); it can be resumed. */
  @Post(':id/stop')
  @HttpCode(HttpStatus.ACCEPTED)
  async stop(@Param('id', runId) id: string) {
    const run = await this.get(id);
    if (!(await this.runner.runs.requestStop(id)))
      throw new ConflictException(`Backfill run ${id} is ${run.status}, not running`);
    return (await this.runner.runs.get(id))!;
  }

  @Post(':id/resume')
  @HttpCode(HttpStatus.ACCEPTED)
  async resume(@Param('id', runId) id: string) {
    const run = await this.get(id);
    if (run.status === 'done') throw new ConflictException(`Backfill run ${id} is done: start a new one instead`);
    await this.guard(() => this.runner.resume(id));
    return { ...(await this.runner.runs.get(id))!, resumed: true };
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof BackfillBusyError) {
        throw new ConflictException(`${error.message}: follow it at /admin/backfill/${error.runId}, or stop it first`);
      }
      if (error instanceof TooManyBackfillsError) throw new HttpException(error.message, HttpStatus.TOO_MANY_REQUESTS);
      if (error instanceof StripeKeyMissingError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }
}
