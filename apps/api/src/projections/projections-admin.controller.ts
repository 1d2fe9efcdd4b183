import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { describeProjections, PROJECTORS, type Projector, ProjectionStore } from '@ledgerline/projections';

/** Operators' view of the projections. No @Roles: admin only. */
@Controller('admin')
export class ProjectionsAdminController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    private readonly projections: ProjectionStore,
  ) {}

  @Get('projections')
  list() {
    return describeProjections(this.store, this.projections);
  }

  @Get('parked')
  async parked() {
    return (await this.projections.parked()).map((row) => ({
      projection: row.projection,
      position: Number(row.position),
      eventId: row.event_id,
      type: row.event_type,
      stream: row.stream,
      error: row.error,
      attempts: row.attempts,
      parkedAt: row.parked_at.toISOString(),
    }));
  }

  /** Applies a parked event again (after a fix); it stays parked if it still fails. */
  @Post('parked/:projection/:position/retry')
  @HttpCode(200)
  async retry(@Param('projection') name: string, @Param('position', ParseIntPipe) position: number) {
    const projector = this.projectors.find((candidate) => candidate.name === name);
    if (!projector) throw new NotFoundException(`No projection "${name}"`);
    const parked = (await this.projections.parked(name)).find((row) => Number(row.position) === position);
    if (!parked) throw new NotFoundException(`No parked event at position ${position} for projection "${name}"`);
    const [event] = (await this.store.readAll({ from: BigInt(position) - 1n, maxCount: 1 })).events;
    if (!event || event.position !== BigInt(position)) throw new NotFoundException(`No event at position ${position}`);
    try {
      await this.projections.transaction(async (tx) => {
        await projector.apply(event, tx);
        await this.projections.unpark(tx, name, event.position);
      });
    } catch (error) {
      throw new ConflictException(`The event still fails in "${name}": ${(error as Error).message}`);
    }
    return { projection: name, position, applied: true };
  }

  /** Drops a parked event for good: the read model will never see it. */
  @Post('parked/:projection/:position/skip')
  @HttpCode(200)
  async skip(@Param('projection') name: string, @Param('position', ParseIntPipe) position: number) {
    const removed = await this.projections.transaction((tx) => this.projections.unpark(tx, name, BigInt(position)));
    if (!removed) throw new NotFoundException(`No parked event at position ${position} for projection "${name}"`);
    return { projection: name, position, skipped: true };
  }
}
