import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { type ConsumerGroupMember, EVENT_STORE, type EventStore } from '@ledgerline/event-store';

interface Joined {
  member: ConsumerGroupMember;
  lastSeen: number;
  /** Events this process leased to the member and not yet acked or nacked, for its stream's pacing. */
  outstanding: Set<string>;
  changed: Set<() => void>;
}

/**
 * The members HTTP clients speak for. A store member can hold a connection (an EventStoreDB
 * persistent subscription), so it is joined once per (group, member id) and reused; one not heard
 * from for FEED_MEMBER_IDLE_MS is closed, which gives its unacked events back to the group.
 */
@Injectable()
export class GroupMembers implements OnApplicationShutdown {
  private readonly joined = new Map<string, Joined>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(config.feeds.memberIdleMs, 10_000));
    this.sweeper.unref();
  }

  /** The member, joined if new; throws ConsumerGroupNotFoundError for an unknown group. */
  async member(group: string, memberId: string): Promise<ConsumerGroupMember> {
    return (await this.entry(group, memberId)).member;
  }

  /**
   * Up to `max` deliveries, waiting up to `waitMs`. When the caller goes away (`signal`) the wait
   * stops and nothing more is leased to a request nobody will answer.
   */
  async receive(group: string, memberId: string, max: number, waitMs: number, signal?: AbortSignal) {
    const entry = await this.entry(group, memberId);
    const deliveries = await entry.member.receive(max, waitMs, { signal });
    entry.lastSeen = Date.now();
    deliveries.forEach((delivery) => entry.outstanding.add(delivery.event.id));
    return deliveries;
  }

  async ack(group: string, memberId: string, eventIds: string[]): Promise<void> {
    const entry = await this.entry(group, memberId);
    await entry.member.ack(eventIds);
    this.settled(entry, eventIds);
  }

  async nack(group: string, memberId: string, eventId: string, options: { park?: boolean; reason?: string }) {
    const entry = await this.entry(group, memberId);
    await entry.member.nack(eventId, options);
    this.settled(entry, [eventId]);
  }

  /** How many of the member's deliveries through this process are still open, and a way to hear of changes. */
  pending(group: string, memberId: string): { count: number; onChange(listener: () => void): () => void } {
    const entry = this.joined.get(key(group, memberId));
    return {
      count: entry?.outstanding.size ?? 0,
      onChange: (listener) => {
        entry?.changed.add(listener);
        return () => entry?.changed.delete(listener);
      },
    };
  }

  /** Keeps a streaming member from being swept as idle. */
  touch(group: string, memberId: string): void {
    const entry = this.joined.get(key(group, memberId));
    if (entry) entry.lastSeen = Date.now();
  }

  /** Deliveries whose ack timeout passed: the group redelivers them, this process stops waiting for them. */
  forgetOutstanding(group: string, memberId: string): void {
    this.joined.get(key(group, memberId))?.outstanding.clear();
  }

  /** Lets a member go (its stream ended): its unacked events go back to the group now. */
  async release(group: string, memberId: string): Promise<void> {
    const id = key(group, memberId);
    const entry = this.joined.get(id);
    if (!entry) return;
    this.joined.delete(id);
    await entry.member.close().catch(() => undefined);
  }

  /** Forgets (and closes) every member of a deleted group. */
  async forgetGroup(group: string): Promise<void> {
    for (const [id, entry] of this.joined) {
      if (id.startsWith(`${group}\u0000`)) {
        this.joined.delete(id);
        await entry.member.close().catch(() => undefined);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.joined.values()].map((entry) => entry.member.close().catch(() => undefined)));
    this.joined.clear();
  }

  private async entry(group: string, memberId: string): Promise<Joined> {
    const id = key(group, memberId);
    let entry = this.joined.get(id);
    if (!entry) {
      const member = await this.store.consumerGroups.join(group, memberId);
      entry = this.joined.get(id) ?? { member, lastSeen: Date.now(), outstanding: new Set(), changed: new Set() };
      this.joined.set(id, entry);
    }
    entry.lastSeen = Date.now();
    return entry;
  }

  private settled(entry: Joined, eventIds: string[]): void {
    eventIds.forEach((id) => entry.outstanding.delete(id));
    entry.changed.forEach((listener) => listener());
  }

  private async sweep(): Promise<void> {
    const idleSince = Date.now() - this.config.feeds.memberIdleMs;
    for (const [id, entry] of this.joined) {
      // A member still working on deliveries keeps them until their ack timeout (at most an hour).
      const idle = entry.outstanding.size
        ? entry.lastSeen < Date.now() - MAX_ACK_TIMEOUT_MS
        : entry.lastSeen < idleSince;
      if (idle) {
        this.joined.delete(id);
        await entry.member.close().catch(() => undefined);
      }
    }
  }
}

const key = (group: string, memberId: string) => `${group}\u0000${memberId}`;
/** The longest ack timeout a group can have (CreateConsumerGroupRequest). */
const MAX_ACK_TIMEOUT_MS = 3_600_000;
