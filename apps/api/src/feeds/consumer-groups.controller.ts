import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { type ConsumerGroupInfo, EVENT_STORE, type EventStore, type GroupDelivery } from '@ledgerline/event-store';
import { ConsumerGroupErrors } from './consumer-group-errors.filter';
import {
  AckRequest,
  CreateConsumerGroupRequest,
  GroupStreamRequest,
  MemberRequest,
  NackRequest,
  ReceiveRequest,
  ReplayParkedRequest,
} from './consumer-group.requests';
import { feedEvent } from './feed-event';
import { assertNotPastHead, feedPosition } from './feed-filter';
import { GroupMembers } from './group-members';
import { OpenStreams } from './open-streams';
import { streamToMember } from './group-stream';

/**
 * Consumer groups (docs/feeds.md): a named, durable position with a filter, whose events are shared
 * between the members that pull (`receive`) or stream them; each event is acked, or nacked to be
 * retried, and parked after `maxDeliveries`. Unknown group 404; acking what is not outstanding 409.
 */
@Controller('feed/groups')
@Roles('consumer')
@UseFilters(ConsumerGroupErrors)
export class ConsumerGroupsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    private readonly members: GroupMembers,
    private readonly openStreams: OpenStreams,
  ) {}

  @Post()
  async create(@Body() body: CreateConsumerGroupRequest) {
    const from = feedPosition('from', body.from) ?? 'start';
    if (typeof from === 'bigint') assertNotPastHead(from, await this.store.headPosition());
    await this.store.consumerGroups.create(body.name, {
      filter: {
        ...(body.categories?.length ? { categories: body.categories } : {}),
        ...(body.eventTypePrefixes?.length ? { eventTypePrefixes: body.eventTypePrefixes } : {}),
      },
      from,
      ackTimeoutMs: body.ackTimeoutMs,
      maxDeliveries: body.maxDeliveries,
    });
    return groupView(await this.store.consumerGroups.get(body.name));
  }

  @Get()
  async list() {
    return { data: (await this.store.consumerGroups.list()).map(groupView) };
  }

  @Get(':name')
  async get(@Param('name') name: string) {
    return groupView(await this.store.consumerGroups.get(name));
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(@Param('name') name: string): Promise<void> {
    await this.store.consumerGroups.delete(name);
    await this.members.forgetGroup(name);
  }

  @Post(':name/receive')
  @HttpCode(HttpStatus.OK)
  async receive(
    @Param('name') name: string,
    @Body() body: ReceiveRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const caller = new AbortController();
    response.on('close', () => response.writableFinished || caller.abort());
    const deliveries = await this.members.receive(name, body.member, body.max ?? 10, body.waitMs ?? 0, caller.signal);
    return { deliveries: deliveries.map(deliveryView) };
  }

  /** A member that stops (a graceful shutdown) gives its unacked events back to the group at once. */
  @Post(':name/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  async leave(@Param('name') name: string, @Body() body: MemberRequest): Promise<void> {
    await this.store.consumerGroups.get(name);
    await this.members.member(name, body.member);
    await this.members.release(name, body.member);
  }

  @Post(':name/ack')
  @HttpCode(HttpStatus.NO_CONTENT)
  async ack(@Param('name') name: string, @Body() body: AckRequest): Promise<void> {
    await this.members.ack(name, body.member, body.eventIds);
  }

  @Post(':name/nack')
  @HttpCode(HttpStatus.NO_CONTENT)
  async nack(@Param('name') name: string, @Body() body: NackRequest): Promise<void> {
    await this.members.nack(name, body.member, body.eventId, { park: body.park, reason: body.reason });
  }

  @Get(':name/parked')
  async parked(@Param('name') name: string) {
    const parked = await this.store.consumerGroups.listParked(name);
    return {
      data: parked.map((p) => ({
        event: feedEvent(p.event),
        deliveryCount: p.deliveryCount,
        reason: p.reason,
        parkedAt: p.parkedAt,
      })),
    };
  }

  @Post(':name/parked/replay')
  @HttpCode(HttpStatus.OK)
  async replayParked(@Param('name') name: string, @Body() body: ReplayParkedRequest) {
    return { replayed: await this.store.consumerGroups.replayParked(name, body.eventIds) };
  }

  /** A member's deliveries as server-sent events, a batch at a time: the next once this one is settled. */
  @Get(':name/stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      "Server-sent events: the member's deliveries, a batch at a time; the next once this one is acked or nacked.",
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  async stream(@Param('name') name: string, @Query() query: GroupStreamRequest, @Res() response: Response) {
    const group = await this.store.consumerGroups.get(name);
    await this.members.member(name, query.member);
    await streamToMember(
      response,
      this.members,
      group,
      query.member,
      query.max ?? 10,
      this.config.feeds,
      this.openStreams,
    );
  }
}

function groupView(group: ConsumerGroupInfo) {
  return {
    name: group.name,
    filter: group.filter,
    ackTimeoutMs: group.ackTimeoutMs,
    maxDeliveries: group.maxDeliveries,
    checkpoint: group.checkpoint.toString(),
    outstanding: group.outstanding,
    parked: group.parked,
  };
}

export function deliveryView(delivery: GroupDelivery) {
  return { event: feedEvent(delivery.event), deliveryCount: delivery.deliveryCount };
}
