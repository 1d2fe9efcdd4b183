import { integerSetting } from './config-values';
import { type BackfillConfig, parseBackfillConfig } from './backfill-config';
import { type CommandsConfig, parseCommandsConfig } from './commands-config';
import { type FeedsConfig, parseFeedsConfig } from './feeds-config';
import { type LoggingConfig, parseLoggingConfig } from './logging-config';
import { type NotificationsConfig, parseNotificationsConfig } from './notifications-config';
import { parseWorkersConfig, type WorkersConfig } from './workers-config';

export const ROLES = ['support', 'finance', 'admin', 'consumer'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  role: Role;
  /** Recorded as the actor of the commands issued with this key. */
  name: string;
  key: string;
}

export type EventStoreConfig =
  | { adapter: 'postgres'; /** null: the read-model database */ url: string | null }
  | { adapter: 'eventstoredb'; url: string };

export interface LedgerlineConfig {
  port: number;
  /** null: embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  eventStore: EventStoreConfig;
  stripe: {
    webhookSecrets: string[];
    apiKey: string | null;
    apiBase: string | null;
  };
  apiKeys: ApiKey[];
  dataDir: string;
  /** Events a projector applies per transaction. */
  projectionBatchSize: number;
  /** Seconds a projection behind the head may go without moving before it is reported stalled. */
  projectionStallSeconds: number;
  notifications: NotificationsConfig;
  commands: CommandsConfig;
  feeds: FeedsConfig;
  backfill: BackfillConfig;
  workers: WorkersConfig;
  logging: LoggingConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment in one place. Every problem is reported at once, each naming
 * the variable and what it expects; secret values are never echoed back.
 */
export function loadConfig(env: Env = process.env): LedgerlineConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };

  const port = parsePort(value('PORT'), problems);
  const databaseUrl = parsePostgresUrl('DATABASE_URL', value('DATABASE_URL'), problems);
  const eventStore = parseEventStore(value('EVENT_STORE_URL'), problems);
  const webhookSecrets = parseList(value('STRIPE_WEBHOOK_SECRETS'));
  webhookSecrets.forEach((secret, i) => {
    if (!/^whsec_[A-Za-z0-9+/=_-]{8,}$/.test(secret)) {
      problems.push(
        `STRIPE_WEBHOOK_SECRETS: entry ${i + 1} ${hidden(secret)} is not a webhook signing secret (expected "whsec_...")`,
      );
    }
  });
  const apiKey = value('STRIPE_API_KEY') ?? null;
  if (apiKey !== null && !/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/.test(apiKey)) {
    problems.push(
      `STRIPE_API_KEY: ${hidden(apiKey)} is not a Stripe secret or restricted key (expected "sk_test_...", "sk_live_...", "rk_test_..." or "rk_live_...")`,
    );
  }
  const apiBase = parseHttpUrl('STRIPE_API_BASE', value('STRIPE_API_BASE'), problems);
  const apiKeys = parseApiKeys(value('API_KEYS'), problems);
  const projectionBatchSize = integerSetting(value, 'PROJECTION_BATCH_SIZE', 1_000, 1, 10_000, problems);
  const projectionStallSeconds = integerSetting(value, 'PROJECTION_STALL_SECONDS', 30, 1, 86_400, problems);

  const notifications = parseNotificationsConfig(value, problems);
  const commands = parseCommandsConfig(value, problems);
  const feeds = parseFeedsConfig(value, problems);
  const backfill = parseBackfillConfig(value, problems);
  const workers = parseWorkersConfig(value, problems);
  const logging = parseLoggingConfig(value, problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    databaseUrl,
    eventStore,
    stripe: { webhookSecrets, apiKey, apiBase },
    apiKeys,
    dataDir: value('LEDGERLINE_DATA_DIR') ?? '.data',
    projectionBatchSize,
    projectionStallSeconds,
    notifications,
    commands,
    feeds,
    backfill,
    workers,
    logging,
  };
}

function parsePort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    problems.push(`PORT: expected an integer from 1 to 65535, got "${raw}"`);
  }
  return port;
}

function parsePostgresUrl(name: string, raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const url = tryUrl(raw);
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname) {
    problems.push(
      `${name}: expected a PostgreSQL URL "postgres://user:password@host:5432/database", got ${redactUrl(raw)}`,
    );
  }
  return raw;
}

function parseEventStore(raw: string | undefined, problems: string[]): EventStoreConfig {
  if (raw === undefined) return { adapter: 'postgres', url: null };
  const scheme = raw.slice(0, Math.max(0, raw.indexOf('://'))).toLowerCase();
  if (['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover'].includes(scheme)) {
    if (!tryUrl(raw.replace(/^[a-z+]+:/i, 'http:'))) {
      problems.push(
        `EVENT_STORE_URL: ${redactUrl(raw)} is not a valid EventStoreDB connection string ("esdb://host:2113?tls=false")`,
      );
    }
    return { adapter: 'eventstoredb', url: raw };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return { adapter: 'postgres', url: parsePostgresUrl('EVENT_STORE_URL', raw, problems) };
  }
  problems.push(
    `EVENT_STORE_URL: expected "esdb://...", "kurrentdb://..." (EventStoreDB) or "postgres://..." (PostgreSQL store), got ${redactUrl(raw)}`,
  );
  return { adapter: 'postgres', url: null };
}

function parseHttpUrl(name: string, raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const url = tryUrl(raw);
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    problems.push(`${name}: expected an http(s) URL such as "http://localhost:12111", got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function parseApiKeys(raw: string | undefined, problems: string[]): ApiKey[] {
  const keys: ApiKey[] = [];
  const seenKeys = new Set<string>();
  parseList(raw).forEach((entry, i) => {
    const parts = entry.split(':');
    const where = `API_KEYS: entry ${i + 1}`;
    if (parts.length < 2 || parts.length > 3) {
      problems.push(`${where} is not "role:key" or "role:name:key" (roles: ${ROLES.join(', ')})`);
      return;
    }
    const role = parts[0]!;
    const key = parts[parts.length - 1]!;
    const name = parts.length === 3 ? parts[1]! : `${role}-${i + 1}`;
    if (!(ROLES as readonly string[]).includes(role)) {
      problems.push(`${where} has unknown role "${role}" (expected one of: ${ROLES.join(', ')})`);
      return;
    }
    // A person's name reads as one ("Sam Support"): words of letters, digits, ".", "_", "@" or "-",
    // one space between them (the entry is trimmed, so none before or after).
    if (name.length > 64 || !/^[\p{L}\p{N}._@-]+(?: [\p{L}\p{N}._@-]+)*$/u.test(name)) {
      problems.push(
        `${where} has an invalid name (1 to 64 letters, digits, ".", "_", "@", "-" or single spaces between words)`,
      );
      return;
    }
    if (/\s/.test(key)) {
      problems.push(`${where} (role ${role}): the key must not contain spaces`);
      return;
    }
    if (key.length < 16) {
      problems.push(`${where} (role ${role}): the key must be at least 16 characters`);
      return;
    }
    if (seenKeys.has(key)) {
      problems.push(`${where} (role ${role}): the same key is listed twice`);
      return;
    }
    seenKeys.add(key);
    keys.push({ role: role as Role, name, key });
  });
  return keys;
}

function parseList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function tryUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function hidden(secret: string): string {
  return `(${secret.length} characters starting "${secret.slice(0, Math.min(6, secret.indexOf('_') + 1 || 3))}", value hidden)`;
}

/** URLs may carry passwords: show them without. */
export function redactUrl(raw: string): string {
  return `"${raw.replace(/\/\/[^@/]*@/, '//***@')}"`;
}
