import { validateGroupSettings } from '../consumer-group-settings';
import {
  BACKWARDS,
  END,
  PersistentSubscriptionExistsError,
  ROUND_ROBIN,
  START,
  jsonEvent,
  persistentSubscriptionToAllSettingsFromDefaults,
  type PersistentSubscriptionToAllInfo,
  type PersistentSubscriptionToStreamInfo,
} from '@eventstore/db-client';
import { ConsumerGroupExistsError, ConsumerGroupNotFoundError, EventStoreError } from '../errors';
import type {
  ConsumerGroupInfo,
  ConsumerGroupMember,
  ConsumerGroups,
  ConsumerGroupSettings,
  EventFilter,
  ParkedEvent,
} from '../event-store.port';
import {
  at,
  decodeParkReason,
  groupCheckpoint,
  groupStream,
  isPlainObject,
  isVisibleStream,
  parkedStream,
  serverFilter,
  toRecordedEvent,
  type EventStoreDbAccess,
} from './eventstoredb-mapping';
import { EventStoreDbGroupMember, isMissingGroup, type MemberSettings } from './eventstoredb-group-member';

const GROUP_CREATED = 'GroupCreated';

/** What the server does not keep for us: the port's filter and an exclusive start position. */
interface GroupRecord {
  filter: EventFilter;
  after: bigint | null;
}

/**
 * Consumer groups as persistent subscriptions to $all. The server tracks deliveries, retries,
 * parking and the checkpoint; the group's port-level filter and start bound live in `ll_group-<name>`
 * because the server keeps only its own (compiled) form of them.
 */
export class EventStoreDbConsumerGroups implements ConsumerGroups {
  private readonly members = new Set<EventStoreDbGroupMember>();

  constructor(private readonly store: EventStoreDbAccess) {}

  async create(name: string, settings: ConsumerGroupSettings = {}): Promise<void> {
    const { ackTimeoutMs, maxDeliveries, from } = validateGroupSettings(name, settings);
    const filter = settings.filter ?? {};
    // The server's start position is inclusive; ours is exclusive, so members skip the start event.
    const startFrom = from === 'start' || from === 0n ? START : from === 'end' ? END : at(from);
    const serverSettings = persistentSubscriptionToAllSettingsFromDefaults({
      startFrom,
      messageTimeout: ackTimeoutMs,
      maxRetryCount: maxDeliveries - 1,
      checkPointAfter: 1_000,
      checkPointLowerBound: 1,
      readBatchSize: 100,
      consumerStrategyName: ROUND_ROBIN,
    });
    try {
      await this.store.client.createPersistentSubscriptionToAll(name, serverSettings, { filter: serverFilter(filter) });
    } catch (error) {
      if (error instanceof PersistentSubscriptionExistsError) throw new ConsumerGroupExistsError(name);
      throw error;
    }
    const after = typeof from === 'bigint' && from > 0n ? from.toString() : null;
    await this.store.client.appendToStream(
      groupStream(name),
      jsonEvent({ type: GROUP_CREATED, data: { filter, after } }),
    );
  }

  async get(name: string): Promise<ConsumerGroupInfo> {
    const info = await this.info(name);
    return toGroupInfo(info, await this.record(name));
  }

  async list(): Promise<ConsumerGroupInfo[]> {
    let all: (PersistentSubscriptionToAllInfo | PersistentSubscriptionToStreamInfo)[] = [];
    try {
      all = await this.store.client.listAllPersistentSubscriptions();
    } catch (error) {
      if (!isMissingGroup(error)) throw error;
    }
    const groups = all.filter((info): info is PersistentSubscriptionToAllInfo => info.eventSource === '$all');
    const infos = await Promise.all(groups.map(async (info) => toGroupInfo(info, await this.record(info.groupName))));
    return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    try {
      await this.store.client.deletePersistentSubscriptionToAll(name);
    } catch (error) {
      if (isMissingGroup(error)) throw new ConsumerGroupNotFoundError(name);
      throw error;
    }
  }

  async join(name: string, memberId: string): Promise<ConsumerGroupMember> {
    if (typeof memberId !== 'string' || memberId.trim() === '')
      throw new RangeError('memberId must be a non-empty string');
    const { settings: server } = await this.info(name);
    const settings: MemberSettings = {
      ...((await this.record(name)) ?? { filter: {}, after: null }),
      ackTimeoutMs: server.messageTimeout,
      maxDeliveries: server.maxRetryCount + 1,
    };
    const member = new EventStoreDbGroupMember(name, memberId, this.store.client, settings, () =>
      this.members.delete(member),
    );
    this.members.add(member);
    return member;
  }

  async listParked(name: string): Promise<ParkedEvent[]> {
    const { maxDeliveries } = await this.get(name);
    const parked = await this.store.readRaw(parkedStream(name), { resolveLinkTos: true });
    return parked.flatMap(({ event, link }) => {
      if (!event || !link || !isVisibleStream(event.streamId)) return [];
      const metadata = isPlainObject(link.metadata) ? link.metadata : {};
      const { reason, deliveryCount } = decodeParkReason(metadata.reason ?? metadata.Reason, maxDeliveries);
      const added = metadata.added ?? metadata.Added;
      const parkedAt = typeof added === 'string' && !Number.isNaN(Date.parse(added)) ? new Date(added) : link.created;
      return [{ event: toRecordedEvent(event), deliveryCount, reason, parkedAt: parkedAt.toISOString() }];
    });
  }

  /** The server replays a group's parked events in order, all of them: a subset cannot be picked. */
  async replayParked(name: string, eventIds?: string[]): Promise<number> {
    const parked = await this.listParked(name);
    if (eventIds) {
      const wanted = new Set(eventIds.map((id) => id.toLowerCase()));
      if (parked.some((p) => !wanted.has(p.event.id))) {
        throw new EventStoreError('EventStoreDB can only replay all parked events of a group, not a selection');
      }
    }
    if (parked.length === 0) return 0;
    await this.store.client.replayParkedMessagesToAll(name);
    return parked.length;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.members].map((member) => member.close()));
  }

  private async info(name: string): Promise<PersistentSubscriptionToAllInfo> {
    try {
      return await this.store.client.getPersistentSubscriptionToAllInfo(name);
    } catch (error) {
      if (isMissingGroup(error)) throw new ConsumerGroupNotFoundError(name);
      throw error;
    }
  }

  private async record(name: string): Promise<GroupRecord | null> {
    const [latest] = await this.store.readRaw(groupStream(name), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const data = latest?.event?.type === GROUP_CREATED ? latest.event.data : null;
    if (!isPlainObject(data)) return null;
    const filter = isPlainObject(data.filter) ? (data.filter as EventFilter) : {};
    return { filter, after: typeof data.after === 'string' ? BigInt(data.after) : null };
  }
}

function toGroupInfo(info: PersistentSubscriptionToAllInfo, record: GroupRecord | null): ConsumerGroupInfo {
  const { stats } = info;
  return {
    name: info.groupName,
    filter: record?.filter ?? {},
    ackTimeoutMs: info.settings.messageTimeout,
    maxDeliveries: info.settings.maxRetryCount + 1,
    checkpoint: groupCheckpoint(stats),
    outstanding: stats.outstandingMessagesCount + stats.retryBufferCount,
    parked: Number(stats.parkedMessageCount ?? 0n),
  };
}
