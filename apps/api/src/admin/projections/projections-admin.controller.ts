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
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import {
  describeProjections,
  PROJECTORS,
  type Projector,
  ProjectionStore,
  RebuildAlreadyActiveError,
  RebuildRequests,
  rebuildStateName,
} from '@ledgerline/projections';
import { DataSource } from 'typeorm';

/** Operators' view of the projections. No @Roles: admin only. */
@Controller('admin')
export class ProjectionsAdminController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    private readonly projections: ProjectionStore,
    dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {
    this.rebuilds = new RebuildRequests(dataSource);
  }

  private readonly rebuilds: RebuildRequests;

  @Get('projections')
  list() {
    return describeProjections(this.store, this.projections, { stallSeconds: this.config.projectionStallSeconds });
  }

  /** Rebuilds into new tables while the current ones keep answering; switches over when caught up. */
  @Post('projections/:name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string) {
    this.projectorNamed(name);
    try {
      return await this.rebuilds.request(name, 'requested through the api');
    } catch (error) {
      if (error instanceof RebuildAlreadyActiveError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Post('projections/:name/rebuild/cancel')
  @HttpCode(202)
  async cancelRebuild(@Param('name') name: string) {
    this.projectorNamed(name);
    const cancelled = await this.rebuilds.cancel(name);
    if (!cancelled) throw new NotFoundException(`No rebuild of "${name}" is requested or running`);
    return cancelled;
  }

  /**
   * Rebuild requests, newest first. One the worker is carrying out has its `progress`: the position
   * its shadow copy has reached (its state row, `<name>:rebuild`) against the store's head, so a
   * client follows it without knowing the engine's naming. Null while it waits or once it is over.
   */
  @Get('rebuilds')
  async listRebuilds() {
    const [requests, states, head] = await Promise.all([
      this.rebuilds.list(),
      this.projections.states(),
      this.store.headPosition(),
    ]);
    const positions = new Map(states.map((state) => [state.name, Number(state.position)]));
    return requests.map((request) => {
      const carriedOut = request.status === 'running' || request.status === 'cancelling';
      const position = carriedOut ? positions.get(rebuildStateName(request.projection)) : undefined;
      return { ...request, progress: position === undefined ? null : { position, headPosition: Number(head) } };
    });
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

  /** The parked event itself, payload and metadata as stored: what the operator reads before Retry or Skip. */
  @Get('parked/:projection/:position/event')
  async parkedEvent(@Param('projection') name: string, @Param('position', ParseIntPipe) position: number) {
    const parked = (await this.projections.parked(name)).find((row) => Number(row.position) === position);
    if (!parked) throw new NotFoundException(`No parked event at position ${position} for projection "${name}"`);
    const [event] = (await this.store.readAll({ from: BigInt(position) - 1n, maxCount: 1 })).events;
    if (!event || event.position !== BigInt(position)) throw new NotFoundException(`No event at position ${position}`);
    return {
      projection: name,
      position,
      eventId: event.id,
      type: event.type,
      stream: event.stream,
      revision: Number(event.revision),
      data: event.data as Record<string, unknown>,
      metadata: event.metadata as unknown as Record<string, unknown>,
    };
  }

  /** Applies a parked event again (after a fix); it stays parked if it still fails. */
  @Post('parked/:projection/:position/retry')
  @HttpCode(200)
  async retry(@Param('projection') name: string, @Param('position', ParseIntPipe) position: number) {
    const projector = this.projectorNamed(name);
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

  private projectorNamed(name: string): Projector {
    const projector = this.projectors.find((candidate) => candidate.name === name);
    if (!projector) throw new NotFoundException(`No projection "${name}"`);
    return projector;
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
