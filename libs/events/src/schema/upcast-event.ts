import type { RecordedEvent, RecordedEventMetadata } from '@ledgerline/event-store';
import { withStorableText } from '../storable-text';
import { upcasterChainOf } from './schema-registry';

/**
 * A stored event whose schema version this code cannot read: newer than it knows (written by a
 * newer release, e.g. after a rollback) or not a version number at all. Guessing a shape would
 * hand readers wrong data that they would then project, so reading stops here instead.
 */
export class UnknownSchemaVersionError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly storedVersion: unknown,
    readonly knownVersion: number,
  ) {
    const problem = isVersionNumber(storedVersion)
      ? `but this code knows ${eventType} up to version ${knownVersion}: read it with a release that knows it`
      : `which is not a version number (this code knows ${eventType} up to version ${knownVersion})`;
    super(`Event ${eventId} (${eventType}) has schema version ${JSON.stringify(storedVersion)}, ${problem}`);
    this.name = 'UnknownSchemaVersionError';
  }
}

function isVersionNumber(version: unknown): version is number {
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 1;
}

// Upcasters declare the version they read; stored data is JSON the store has not checked.
type StoredDataUpcaster = (data: unknown, metadata: RecordedEventMetadata) => unknown;

/**
 * The event with its data in the current schema version and `metadata.schemaVersion` set to it.
 * An event without a version is version 1; a type this code does not know is returned as stored.
 * An event already current is returned as is (no copy), so the common case costs nothing. When
 * upcasters ran, `metadata.storedSchemaVersion` says so: the audit trail must not pass data the
 * upcasters derived off as what was written.
 *
 * An event stored with text PostgreSQL cannot hold (a NUL, a lone surrogate: `metadata.textRepair`,
 * written at ingestion) is read with that text replaced by U+FFFD, so that no reader, read model or
 * feed meets it (decision 0018). Its metadata already says what was replaced and where.
 */
export function upcastEvent(recorded: RecordedEvent): RecordedEvent {
  const event = recorded.metadata.textRepair ? { ...recorded, data: withStorableText(recorded.data) } : recorded;
  const chain = upcasterChainOf(event.type, event.metadata.source);
  if (!chain) return event;
  const current = chain.length + 1;
  const stored = event.metadata.schemaVersion ?? 1;
  if (stored === current && event.metadata.schemaVersion === current) return event;
  if (!isVersionNumber(stored) || stored > current) {
    throw new UnknownSchemaVersionError(event.id, event.type, event.metadata.schemaVersion, current);
  }
  if (stored === current) return { ...event, metadata: { ...event.metadata, schemaVersion: current } };
  let data = event.data;
  for (let version = stored; version < current; version += 1) {
    data = (chain[version - 1] as StoredDataUpcaster)(data, event.metadata);
  }
  return { ...event, data, metadata: { ...event.metadata, schemaVersion: current, storedSchemaVersion: stored } };
}
