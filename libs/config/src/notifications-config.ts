import { integerSetting, type Value } from './config-values';

export interface NotificationsConfig {
  /** null: no channel configured, the dispatcher does not run and notifications stay pending. */
  webhook: { url: string; secret: string } | null;
  /** First retry delay; doubled on each further failed attempt (capped at an hour). */
  retryBaseMs: number;
  /** Attempts before a notification is given up (status `failed`). */
  maxAttempts: number;
}

/**
 * NOTIFICATION_* variables. Neither the URL nor the secret is ever echoed: webhook URLs often carry
 * a token in their path or query.
 */
export function parseNotificationsConfig(value: Value, problems: string[]): NotificationsConfig {
  const url = value('NOTIFICATION_WEBHOOK_URL');
  const secret = value('NOTIFICATION_WEBHOOK_SECRET');
  if (url !== undefined && !isHttpUrl(url)) {
    problems.push(
      'NOTIFICATION_WEBHOOK_URL: expected an http(s) URL such as "https://hooks.example.com/ledgerline" (value hidden)',
    );
  }
  if (url !== undefined && secret === undefined) {
    problems.push('NOTIFICATION_WEBHOOK_SECRET: required when NOTIFICATION_WEBHOOK_URL is set (signs every delivery)');
  } else if (secret !== undefined && secret.length < 16) {
    problems.push(`NOTIFICATION_WEBHOOK_SECRET: must be at least 16 characters (got ${secret.length}, value hidden)`);
  }
  return {
    webhook: url !== undefined && secret !== undefined ? { url, secret } : null,
    retryBaseMs: integerSetting(value, 'NOTIFICATION_RETRY_BASE_MS', 30_000, 1, 3_600_000, problems),
    maxAttempts: integerSetting(value, 'NOTIFICATION_MAX_ATTEMPTS', 8, 1, 100, problems),
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
