import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { type EventStore, type NewEvent, WrongExpectedRevisionError } from '@ledgerline/event-store';
import { currentSchemaVersion } from '@ledgerline/events';
import {
  type DueNotification,
  findDueNotifications,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  type NotificationDeliveredData,
  type NotificationDeliveryFailedData,
  notificationAttempts,
  notificationOutcomeEventId,
  notificationStream,
} from '@ledgerline/read-models';
import type { DeliveryResult, NotificationChannel } from './notification-channel';

export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
const ACTOR = 'system:notification-dispatcher';

export interface DispatcherOptions {
  retryBaseMs: number;
  maxAttempts: number;
  pollIntervalMs?: number;
  batchSize?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/** Delay before attempt `failed + 1`, after `failed` failed attempts: base, doubling, capped at an hour. */
export function retryDelayMs(failed: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (failed - 1), MAX_RETRY_DELAY_MS);
}

/**
 * Delivers due notifications through a channel and records each attempt's outcome as an event on
 * the notification's stream; the read model learns the outcome from that event. Appending with
 * the stream's expected revision means an attempt is recorded once even with two dispatchers
 * (both may deliver it: the receiver dedupes by notification id). A notification stays in
 * `inFlight` until the read model shows its outcome, so a poll in between does not send it again.
 */
export class NotificationDispatcher {
  private readonly inFlight = new Map<string, number>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly channel: NotificationChannel,
    private readonly options: DispatcherOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 10;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = null;
  }

  /** One poll: attempts every due notification of one batch; returns how many. */
  async dispatchDue(): Promise<number> {
    await this.forgetProjected();
    const due = await findDueNotifications(this.dataSource, {
      now: this.now(),
      limit: this.batchSize,
      exclude: [...this.inFlight.keys()],
    });
    await Promise.all(due.map((notification) => this.attempt(notification)));
    return due.length;
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      const attempted = await this.dispatchDue().catch((error: Error) => {
        this.log(`notification dispatch failed, retrying: ${error.message}`);
        return 0;
      });
      if (attempted < this.batchSize) {
        await sleep(this.pollIntervalMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private async attempt(notification: DueNotification): Promise<void> {
    const attempt = notification.attempts + 1;
    this.inFlight.set(notification.id, attempt);
    const result = await this.channel
      .deliver({
        id: notification.id,
        kind: notification.kind,
        customerId: notification.customerId,
        customerStripeId: notification.customerStripeId,
        occurredAt: notification.occurredAt,
        subject: notification.subject,
      })
      .catch((error: Error): DeliveryResult => ({ delivered: false, error: `channel error: ${error.name}` }));
    const outcome = this.outcomeEvent(notification, attempt, result);
    try {
      const appended = await this.store.append(notificationStream(notification.id), [outcome], {
        expectedRevision: attempt === 1 ? 'no_stream' : BigInt(attempt - 2),
      });
      // A duplicate: this attempt's outcome (same deterministic id) was stored before; it stands.
      const what = appended.duplicate ? 'already recorded' : summary(outcome);
      this.log(`notification ${notification.id} (${notification.kind}) attempt ${attempt}: ${what}`);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        // Another dispatcher recorded this attempt first; its outcome stands, ours is dropped.
        this.log(`notification ${notification.id} attempt ${attempt} was already recorded elsewhere`);
        return;
      }
      // Not recorded: forget it, so the next poll tries again (the receiver may see it twice).
      this.inFlight.delete(notification.id);
      this.log(`notification ${notification.id} attempt ${attempt} not recorded: ${(error as Error).message}`);
    }
  }

  private outcomeEvent(notification: DueNotification, attempt: number, result: DeliveryResult): NewEvent {
    const at = this.now();
    const metadata = {
      source: 'platform' as const,
      actor: ACTOR,
      occurredAt: at.toISOString(),
      correlationId: notification.id,
      causationId: notification.storeEventId,
    };
    const id = notificationOutcomeEventId(notification.id, attempt);
    const versioned = (type: string) => ({ ...metadata, schemaVersion: currentSchemaVersion(type, 'platform') });
    if (result.delivered) {
      const data: NotificationDeliveredData = {
        notificationId: notification.id,
        attempt,
        deliveredAt: at.toISOString(),
        channel: this.channel.name,
        statusCode: result.statusCode,
      };
      return { id, type: NOTIFICATION_DELIVERED, data, metadata: versioned(NOTIFICATION_DELIVERED) };
    }
    const retryAt =
      attempt >= this.options.maxAttempts
        ? null
        : new Date(at.getTime() + retryDelayMs(attempt, this.options.retryBaseMs)).toISOString();
    const data: NotificationDeliveryFailedData = {
      notificationId: notification.id,
      attempt,
      error: result.error.slice(0, 500),
      nextAttemptAt: retryAt,
    };
    return { id, type: NOTIFICATION_DELIVERY_FAILED, data, metadata: versioned(NOTIFICATION_DELIVERY_FAILED) };
  }

  /** Drops in-flight entries whose outcome the read model now shows (or whose row is gone). */
  private async forgetProjected(): Promise<void> {
    if (!this.inFlight.size) return;
    const recorded = await notificationAttempts(this.dataSource, [...this.inFlight.keys()]);
    for (const [id, attempt] of this.inFlight) {
      if ((recorded.get(id) ?? Infinity) >= attempt) this.inFlight.delete(id);
    }
  }
}

function summary(event: NewEvent): string {
  if (event.type === NOTIFICATION_DELIVERED) return 'delivered';
  const data = event.data as NotificationDeliveryFailedData;
  return `failed (${data.error}); ${data.nextAttemptAt ? `next attempt at ${data.nextAttemptAt}` : 'given up'}`;
}
