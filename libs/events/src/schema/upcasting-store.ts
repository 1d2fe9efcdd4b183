import type {
  AppendOptions,
  AppendResult,
  ConsumerGroupInfo,
  ConsumerGroupMember,
  ConsumerGroups,
  ConsumerGroupSettings,
  EventStore,
  EventStoreHealth,
  GroupDelivery,
  NewEvent,
  ParkedEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@ledgerline/event-store';
import { upcastEvent } from './upcast-event';

/**
 * The store as the application reads it: every event comes out in its current schema version, so
 * deciders, projectors and feeds handle one shape per type. Writes and everything else pass through.
 * A wrapper rather than adapter code because libs/event-store must not know our event types.
 */
export function withUpcasting(store: EventStore): EventStore {
  return new UpcastingEventStore(store);
}

class UpcastingEventStore implements EventStore {
  readonly consumerGroups: ConsumerGroups;

  constructor(private readonly store: EventStore) {
    this.consumerGroups = new UpcastingConsumerGroups(store.consumerGroups);
  }

  get adapter(): EventStore['adapter'] {
    return this.store.adapter;
  }

  append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.store.append(stream, events, options);
  }

  async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.store.readStream(stream, options)).map(upcastEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    const result = await this.store.readAll(options);
    return { ...result, events: result.events.map(upcastEvent) };
  }

  async readEventById(eventId: string): Promise<RecordedEvent | null> {
    const event = await this.store.readEventById(eventId);
    return event && upcastEvent(event);
  }

  headPosition(): Promise<bigint> {
    return this.store.headPosition();
  }

  /** An event that cannot be upcast fails the batch like a handler error: the subscription stops on it. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return this.store.subscribeToAll({
      ...options,
      handler: async (events) => options.handler(events.map(upcastEvent)),
    });
  }

  readCheckpoint(checkpointId: string): Promise<bigint | null> {
    return this.store.readCheckpoint(checkpointId);
  }

  health(): Promise<EventStoreHealth> {
    return this.store.health();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

class UpcastingConsumerGroups implements ConsumerGroups {
  constructor(private readonly groups: ConsumerGroups) {}

  create(name: string, settings?: ConsumerGroupSettings): Promise<void> {
    return this.groups.create(name, settings);
  }

  get(name: string): Promise<ConsumerGroupInfo> {
    return this.groups.get(name);
  }

  list(): Promise<ConsumerGroupInfo[]> {
    return this.groups.list();
  }

  delete(name: string): Promise<void> {
    return this.groups.delete(name);
  }

  async join(name: string, memberId: string): Promise<ConsumerGroupMember> {
    return new UpcastingGroupMember(await this.groups.join(name, memberId));
  }

  async listParked(name: string): Promise<ParkedEvent[]> {
    return (await this.groups.listParked(name)).map((parked) => ({ ...parked, event: upcastEvent(parked.event) }));
  }

  replayParked(name: string, eventIds?: string[]): Promise<number> {
    return this.groups.replayParked(name, eventIds);
  }
}

class UpcastingGroupMember implements ConsumerGroupMember {
  constructor(private readonly member: ConsumerGroupMember) {}

  get group(): string {
    return this.member.group;
  }

  get memberId(): string {
    return this.member.memberId;
  }

  /**
   * An event that cannot be upcast fails the whole receive: the batch is then handled like events a
   * consumer took and never acked (redelivered after the ack timeout, parked after maxDeliveries).
   */
  async receive(max: number, waitMs?: number, options?: { signal?: AbortSignal }): Promise<GroupDelivery[]> {
    const deliveries = await this.member.receive(max, waitMs, options);
    return deliveries.map((delivery) => ({ ...delivery, event: upcastEvent(delivery.event) }));
  }

  ack(eventIds: string[]): Promise<void> {
    return this.member.ack(eventIds);
  }

  nack(eventId: string, options?: { park?: boolean; reason?: string }): Promise<void> {
    return this.member.nack(eventId, options);
  }

  close(): Promise<void> {
    return this.member.close();
  }
}
