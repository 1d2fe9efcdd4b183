import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';

/** Operators' view of the event store. No @Roles: admin only, the guard's default. */
@Controller('admin/event-store')
export class EventStoreAdminController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async describe() {
    const groups = await this.store.consumerGroups.list();
    return {
      adapter: this.store.adapter,
      headPosition: Number(await this.store.headPosition()),
      consumerGroups: groups.map((group) => ({
        name: group.name,
        checkpoint: Number(group.checkpoint),
        outstanding: group.outstanding,
        parked: group.parked,
      })),
    };
  }
}
