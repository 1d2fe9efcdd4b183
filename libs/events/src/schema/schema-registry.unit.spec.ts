import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as platform from '../platform';
import { currentSchemaVersion, NOTIFICATION_EVENT_TYPES, REGISTERED_PLATFORM_EVENT_TYPES } from './schema-registry';

const PLATFORM_DIR = join(__dirname, '..', 'platform');

/** Every string in every exported `..._TYPES` list of libs/events/src/platform, lists added later included. */
function exportedTypeNames(): string[] {
  const lists = Object.entries(platform)
    .filter(([name]) => name.endsWith('_TYPES'))
    .map(([, value]) => value as unknown);
  return [...new Set(lists.flatMap((names) => (Array.isArray(names) ? (names as string[]) : [])))];
}

/** Shapes used inside events, not events themselves. */
const NOT_EVENTS = ['PostalAddress', 'CustomerDetails', 'PricedItem'];

/** Names of the interfaces declared in libs/events/src/platform: each is an event's data, or in NOT_EVENTS. */
function declaredInterfaces(): string[] {
  return readdirSync(PLATFORM_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .flatMap((file) =>
      [...readFileSync(join(PLATFORM_DIR, file), 'utf8').matchAll(/^export interface (\w+)/gm)].map((m) => m[1]!),
    );
}

describe('schema registry', () => {
  it('registers every platform event type named in the platform type lists', () => {
    expect(exportedTypeNames().length).toBeGreaterThan(10);
    expect(REGISTERED_PLATFORM_EVENT_TYPES).toEqual(expect.arrayContaining(exportedTypeNames()));
  });

  it('registers every event data interface declared in libs/events/src/platform', () => {
    const events = declaredInterfaces().filter((name) => !NOT_EVENTS.includes(name));
    expect(events.length).toBeGreaterThan(10);
    expect(REGISTERED_PLATFORM_EVENT_TYPES).toEqual(expect.arrayContaining(events));
  });

  it('registers nothing else than those and the notification outcomes', () => {
    expect([...REGISTERED_PLATFORM_EVENT_TYPES].sort()).toEqual(
      [...new Set([...exportedTypeNames(), ...NOTIFICATION_EVENT_TYPES])].sort(),
    );
  });

  it('gives appenders the current version: 1 plus the upcasters of the type', () => {
    expect(currentSchemaVersion('SubscriptionCancellationRequested', 'platform')).toBe(2);
    expect(currentSchemaVersion('CustomerRegistered', 'platform')).toBe(1);
    expect(currentSchemaVersion('StripeSyncCompleted', 'platform')).toBe(1);
    expect(currentSchemaVersion('NotificationDelivered', 'platform')).toBe(1);
    expect(currentSchemaVersion('NotRegisteredYet', 'platform')).toBe(1);
  });

  it('gives every Stripe event type, webhook or backfill, the one envelope version', () => {
    for (const type of ['invoice.paid', 'customer.created', 'some.future.type']) {
      expect(currentSchemaVersion(type, 'stripe')).toBe(1);
      expect(currentSchemaVersion(type, 'backfill')).toBe(1);
    }
  });
});
