import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './ledgerline-config';
import { problemsOf } from './testing/config-problems';

const SECRET = 'notify-secret-0123456789';

describe('loadConfig: notifications', () => {
  it('has no channel by default, with the documented retry policy', () => {
    expect(loadConfig({}).notifications).toEqual({ webhook: null, retryBaseMs: 30_000, maxAttempts: 8 });
  });

  it('reads the webhook channel and the retry policy', () => {
    const config = loadConfig({
      NOTIFICATION_WEBHOOK_URL: 'https://hooks.example.com/ledgerline?token=abc',
      NOTIFICATION_WEBHOOK_SECRET: ` ${SECRET} `,
      NOTIFICATION_RETRY_BASE_MS: '1000',
      NOTIFICATION_MAX_ATTEMPTS: '3',
    });
    expect(config.notifications).toEqual({
      webhook: { url: 'https://hooks.example.com/ledgerline?token=abc', secret: SECRET },
      retryBaseMs: 1_000,
      maxAttempts: 3,
    });
  });

  it.each([
    [
      { NOTIFICATION_WEBHOOK_URL: 'ftp://hooks.example.com', NOTIFICATION_WEBHOOK_SECRET: SECRET },
      'NOTIFICATION_WEBHOOK_URL: expected an http(s) URL',
    ],
    [
      { NOTIFICATION_WEBHOOK_URL: 'not a url', NOTIFICATION_WEBHOOK_SECRET: SECRET },
      'NOTIFICATION_WEBHOOK_URL: expected an http(s) URL',
    ],
    [
      { NOTIFICATION_WEBHOOK_URL: 'https://hooks.example.com' },
      'NOTIFICATION_WEBHOOK_SECRET: required when NOTIFICATION_WEBHOOK_URL is set',
    ],
    [
      { NOTIFICATION_WEBHOOK_URL: 'https://hooks.example.com', NOTIFICATION_WEBHOOK_SECRET: 'short' },
      'NOTIFICATION_WEBHOOK_SECRET: must be at least 16 characters',
    ],
    [{ NOTIFICATION_RETRY_BASE_MS: '0' }, 'NOTIFICATION_RETRY_BASE_MS: expected an integer from 1 to 3600000, got "0"'],
    [{ NOTIFICATION_MAX_ATTEMPTS: 'many' }, 'NOTIFICATION_MAX_ATTEMPTS: expected an integer from 1 to 100, got "many"'],
  ])('rejects %j naming the variable and what it expects', (env, message) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('never echoes the webhook URL (it may carry a token) or the secret', () => {
    const problems = problemsOf({
      NOTIFICATION_WEBHOOK_URL: 'ftp://TOPSECRET@hooks.example.com/TOPSECRET',
      NOTIFICATION_WEBHOOK_SECRET: 'TOPSECRET',
    });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('TOPSECRET');
  });
});
