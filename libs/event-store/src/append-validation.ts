import { randomUUID } from 'node:crypto';
import { InvalidAppendError } from './errors';
import type { AppendOptions, ExpectedRevision, NewEvent } from './event-store.port';
import { RawJson } from './raw-json';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STREAM_NAME = 512;

export interface ValidatedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** The category of a stream is its name up to the first `-` (`stripe_customer-cus_1` → `stripe_customer`). */
export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function validateStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.trim() === '') {
    throw new InvalidAppendError('Stream name must be a non-empty string');
  }
  if (stream.length > MAX_STREAM_NAME) {
    throw new InvalidAppendError(`Stream name is longer than ${MAX_STREAM_NAME} characters`);
  }
  if (stream.startsWith('$')) {
    throw new InvalidAppendError(`Stream name "${stream}" starts with "$", which is reserved for system streams`);
  }
}

export function validateExpectedRevision(options: AppendOptions | undefined): ExpectedRevision {
  const expected = options?.expectedRevision ?? 'any';
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  throw new InvalidAppendError(
    `Unknown expected revision ${describe(expected)}: use 'any', 'no_stream', 'stream_exists' or a bigint revision >= 0n`,
  );
}

/** Checks an append's events and gives each an id. Throws before anything is written. */
export function validateEvents(events: NewEvent[]): ValidatedEvent[] {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('An append needs at least one event');
  }
  const seen = new Set<string>();
  return events.map((event, index) => {
    const where = `events[${index}]`;
    if (typeof event?.type !== 'string' || event.type.trim() === '') {
      throw new InvalidAppendError(`${where}.type must be a non-empty string`);
    }
    const id = event.id ?? randomUUID();
    if (!isUuid(id)) {
      throw new InvalidAppendError(`${where}.id must be a UUID, got ${describe(id)}`);
    }
    const lowerId = id.toLowerCase();
    if (seen.has(lowerId)) throw new InvalidAppendError(`${where}.id ${id} appears twice in one append`);
    seen.add(lowerId);
    if (event.data === undefined) throw new InvalidAppendError(`${where}.data is required`);
    // RawJson was parsed from its text: it is JSON by construction.
    if (!(event.data instanceof RawJson)) assertJsonSerialisable(event.data, `${where}.data`);
    if (event.metadata === null || typeof event.metadata !== 'object' || Array.isArray(event.metadata)) {
      throw new InvalidAppendError(`${where}.metadata must be an object`);
    }
    assertJsonSerialisable(event.metadata, `${where}.metadata`);
    return { id: lowerId, type: event.type, data: event.data, metadata: { ...event.metadata } };
  });
}

/**
 * Rejects values that JSON.stringify would silently change or drop (NaN, functions, Dates, class
 * instances, bigints, cycles): an event must read back exactly as it was written.
 */
export function assertJsonSerialisable(value: unknown, path: string, ancestors: object[] = []): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidAppendError(`${path} is ${value}, which JSON cannot represent`);
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.includes(value)) throw new InvalidAppendError(`${path} refers back to itself (a cycle)`);
      const next = [...ancestors, value];
      if (Array.isArray(value)) {
        value.forEach((item, i) => assertJsonSerialisable(item, `${path}[${i}]`, next));
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const kind = (value as object).constructor?.name ?? 'object';
        throw new InvalidAppendError(`${path} is a ${kind}, not plain JSON data`);
      }
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue; // dropped by JSON, as an absent key would be
        assertJsonSerialisable(item, `${path}.${key}`, next);
      }
      return;
    }
    default:
      throw new InvalidAppendError(`${path} is a ${typeof value}, which JSON cannot represent`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The JSON text of an event's data: RawJson as it came, anything else serialised. */
export function dataJsonText(data: unknown): string {
  return data instanceof RawJson ? data.text : JSON.stringify(data);
}

/** The value of an event's data, for adapters that serialise themselves. */
export function dataValue(data: unknown): unknown {
  return data instanceof RawJson ? data.value : data;
}
