import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import type { Lease, LeasedUnit } from '@ledgerline/leases';
import { ProjectionStore, waitForProjections } from '@ledgerline/projections';
import type { WorkerProcess } from '../worker-process';
import { NOTIFICATION_CHANNEL, type NotificationChannel } from './notification-channel';
import { NotificationDispatcher } from './notification-dispatcher';
import { WebhookChannel } from './webhook-channel';

/** The read model the dispatcher reads due notifications (and their recorded attempts) from. */
const NOTIFICATIONS_PROJECTION = 'notifications';

/**
 * Runs the notification dispatcher with the configured channel: the signed webhook to
 * NOTIFICATION_WEBHOOK_URL, or a channel provided under NOTIFICATION_CHANNEL. Without either it
 * does not run; notifications are still recorded and wait, pending, for a channel. One worker at
 * a time dispatches (a unit under a lease).
 */
@Injectable()
export class NotificationsProcess implements WorkerProcess {
  readonly name = 'notifications';
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    @Optional() @Inject(NOTIFICATION_CHANNEL) private readonly channel: NotificationChannel | null = null,
  ) {}

  async units(store: EventStore): Promise<LeasedUnit[]> {
    const { webhook } = this.config.notifications;
    const channel = this.channel ?? (webhook ? new WebhookChannel(webhook) : null);
    if (!channel) {
      this.logger.warn('NOTIFICATION_WEBHOOK_URL is not set: notifications are recorded and stay pending');
      return [];
    }
    // The origin only: the path or query of a webhook URL may carry a token.
    const where = !this.channel && webhook ? ` to ${new URL(webhook.url).origin}` : '';
    return [new NotificationsUnit(this.dataSource, store, channel, this.config, this.logger, where)];
  }
}

class NotificationsUnit implements LeasedUnit {
  readonly name = 'notifications';
  private dispatcher: NotificationDispatcher | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly channel: NotificationChannel,
    private readonly config: LedgerlineConfig,
    private readonly logger: Logger,
    private readonly where: string,
  ) {}

  async start(lease: Lease): Promise<void> {
    this.starting = this.dispatchOnceCaughtUp(lease).catch((error: Error) => {
      if (!lease.signal.aborted) this.logger.error(`notification dispatcher did not start: ${error.message}`);
    });
  }

  async stop(): Promise<void> {
    await this.starting;
    await this.dispatcher?.stop();
    this.dispatcher = null;
  }

  /**
   * A previous dispatcher (in a worker that died or handed over) recorded its attempts as events;
   * until the read model shows them, they look due and would be sent again. So start only once
   * the notifications projection has reached the head as of taking the lease.
   */
  private async dispatchOnceCaughtUp(lease: Lease): Promise<void> {
    const head = await this.store.headPosition();
    const projections = new ProjectionStore(this.dataSource);
    for (;;) {
      const waitOptions = { timeoutMs: 30_000, signal: lease.signal };
      const lagging = await waitForProjections(projections, [NOTIFICATIONS_PROJECTION], head, waitOptions);
      if (!lagging.length) break;
      this.logger.warn(`waiting for ${lagging.join(', ')} to reach ${head} before dispatching`);
    }
    if (lease.signal.aborted) return;
    const { retryBaseMs, maxAttempts } = this.config.notifications;
    this.dispatcher = new NotificationDispatcher(this.dataSource, this.store, this.channel, {
      retryBaseMs,
      maxAttempts,
      log: (message) => this.logger.log(message),
    });
    this.dispatcher.start();
    this.logger.log(`delivering notifications through ${this.channel.name}${this.where}`);
  }
}
