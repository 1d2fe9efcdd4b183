import type { Response } from 'express';
import type { FeedsConfig } from '@ledgerline/config';
import type { ConsumerGroupInfo } from '@ledgerline/event-store';
import { feedEvent } from './feed-event';
import type { GroupMembers } from './group-members';
import type { OpenStreams } from './open-streams';
import { SlowConsumerError, SseStream } from './sse-stream';

/**
 * Streams a member's deliveries as server-sent events: a batch of up to `max`, then the next once
 * the member has acked or nacked them all (or their ack timeout passed: the group redelivers those),
 * heartbeats while there is nothing. When the client goes, the member is let go and its unacked
 * events go back to the group at once.
 */
export async function streamToMember(
  response: Response,
  members: GroupMembers,
  group: ConsumerGroupInfo,
  member: string,
  max: number,
  config: FeedsConfig,
  openStreams: OpenStreams,
): Promise<void> {
  const sse = new SseStream(response, config.drainTimeoutMs);
  let gone = false;
  sse.onClose(() => (gone = true));
  const forget = openStreams.add((last) => {
    gone = true;
    sse.end(last);
  });
  const waitMs = Math.min(config.heartbeatMs, 30_000);
  try {
    while (!gone) {
      const deliveries = await members.receive(group.name, member, max, waitMs);
      if (gone) break;
      if (!deliveries.length) {
        await sse.send({ event: 'heartbeat', data: { group: group.name, member } });
        continue;
      }
      for (const delivery of deliveries) {
        await sse.send({
          id: delivery.event.position.toString(),
          data: { event: feedEvent(delivery.event), deliveryCount: delivery.deliveryCount },
        });
      }
      await settledOrTimedOut(members, group, member, () => gone);
    }
  } catch (error) {
    sse.end(
      error instanceof SlowConsumerError
        ? { event: 'reconnect', data: { reason: error.message } }
        : { event: 'error', data: { message: (error as Error).message } },
    );
  } finally {
    forget();
    await members.release(group.name, member);
    sse.end();
  }
}

/** Until every delivery of the batch is acked or nacked, or the group's ack timeout has passed. */
async function settledOrTimedOut(
  members: GroupMembers,
  group: ConsumerGroupInfo,
  member: string,
  gone: () => boolean,
): Promise<void> {
  const deadline = Date.now() + group.ackTimeoutMs;
  while (!gone() && Date.now() < deadline) {
    const pending = members.pending(group.name, member);
    if (pending.count === 0) return;
    members.touch(group.name, member);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(1_000, Math.max(1, deadline - Date.now())));
      const unsubscribe = pending.onChange(done);
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }
  members.forgetOutstanding(group.name, member);
}
