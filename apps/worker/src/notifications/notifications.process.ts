import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import type { WorkerProcess } from '../worker-process';
import { NOTIFICATION_CHANNEL, type NotificationChannel } from './notification-channel';
import { NotificationDispatcher } from './notification-dispatcher';
import { WebhookChannel } from './webhook-channel';

/**
 * Runs the notification dispatcher with the configured channel: the signed webhook to
 * NOTIFICATION_WEBHOOK_URL, or a channel provided under NOTIFICATION_CHANNEL. Without either it
 * does not run; notifications are still recorded and wait, pending, for a channel.
 */
@Injectable()
export class NotificationsProcess implements WorkerProcess {
  readonly name = 'notifications';
  private readonly logger = new Logger('Notifications');
  private dispatcher: NotificationDispatcher | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    @Optional() @Inject(NOTIFICATION_CHANNEL) private readonly channel: NotificationChannel | null = null,
  ) {}

  async start(store: EventStore): Promise<void> {
    const { webhook, retryBaseMs, maxAttempts } = this.config.notifications;
    const channel = this.channel ?? (webhook ? new WebhookChannel(webhook) : null);
    if (!channel) {
      this.logger.warn('NOTIFICATION_WEBHOOK_URL is not set: notifications are recorded and stay pending');
      return;
    }
    this.dispatcher = new NotificationDispatcher(this.dataSource, store, channel, {
      retryBaseMs,
      maxAttempts,
      log: (message) => this.logger.log(message),
    });
    this.dispatcher.start();
    // The origin only: the path or query of a webhook URL may carry a token.
    const where = !this.channel && webhook ? ` to ${new URL(webhook.url).origin}` : '';
    this.logger.log(`delivering notifications through ${channel.name}${where}`);
  }

  async stop(): Promise<void> {
    await this.dispatcher?.stop();
    this.dispatcher = null;
  }
}
