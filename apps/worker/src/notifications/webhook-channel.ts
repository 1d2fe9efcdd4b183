import { createHmac } from 'node:crypto';
import type { DeliveryResult, NotificationChannel, NotificationMessage } from './notification-channel';

export interface WebhookChannelOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  /** Unix milliseconds; tests pin it to check the signature's timestamp. */
  now?: () => number;
}

/** `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the scheme Stripe signs its own webhooks with. */
export function signNotification(body: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

/**
 * POSTs the notification as JSON to the configured URL, signed with the shared secret; the
 * `Ledgerline-Notification-Id` header lets the receiver drop a repeat (delivery is at least once).
 * Any 2xx is delivered; anything else, a network error or a timeout is a failed attempt.
 * Redirects are not followed: the secret signs for this URL only.
 */
export class WebhookChannel implements NotificationChannel {
  readonly name = 'webhook';
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WebhookChannelOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  async deliver(message: NotificationMessage): Promise<DeliveryResult> {
    const body = JSON.stringify(message);
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Ledgerline-Notifications/1',
          'Ledgerline-Signature': signNotification(body, this.options.secret, timestamp),
          'Ledgerline-Notification-Id': message.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The receiver's answer is not ours to keep (it may echo personal data): discard it.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { delivered: true, statusCode: response.status };
      return { delivered: false, error: `HTTP ${response.status}` };
    } catch (error) {
      return { delivered: false, error: describeFailure(error, this.timeoutMs) };
    }
  }
}

/** A short reason without the URL (webhook URLs often carry a token). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = ((error as { cause?: { code?: unknown } })?.cause?.code ?? '') as string;
  return code ? `network error: ${code}` : 'network error';
}
