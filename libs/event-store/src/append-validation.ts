import { randomUUID } from 'node:crypto';
import { InvalidAppendError } from './errors';
import type { AppendOptions, ExpectedRevision, NewEvent } from './event-store.port';
import { RawJson } from './raw-json';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest stream name the store takes, in UTF-16 code units (JavaScript's `length`). */
export const MAX_STREAM_NAME_LENGTH = 512;
/**
 * The deepest nesting of objects and arrays an event's data or metadata may have (the value itself
 * is level 1). Every reader, from JSON.stringify (which recurses, and overflows the stack near a few
 * thousand levels) to PostgreSQL's jsonb, must be able to take what the store hands out; no event
 * of ours or of Stripe's nests a fifth as deep (docs/decisions/0018-hostile-stripe-payloads.md).
 */
export const MAX_JSON_DEPTH = 64;

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
  if (stream.length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidAppendError(`Stream name is longer than ${MAX_STREAM_NAME_LENGTH} characters`);
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
 * instances, bigints, cycles), and values nested deeper than MAX_JSON_DEPTH: an event must read back
 * exactly as it was written, by every reader. Iterative, so no depth of input overflows the stack.
 */
export function assertJsonSerialisable(value: unknown, path: string): void {
  // Depth-first, each container's children pushed after a marker that takes it off the ancestors.
  type Step = { value: unknown; path: string; depth: number } | { leave: object };
  const ancestors = new Set<object>();
  const stack: Step[] = [{ value, path, depth: 1 }];
  while (stack.length) {
    const step = stack.pop()!;
    if ('leave' in step) {
      ancestors.delete(step.leave);
      continue;
    }
    const { value: item, path: at, depth } = step;
    switch (typeof item) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(item)) throw new InvalidAppendError(`${at} is ${item}, which JSON cannot represent`);
        continue;
      case 'object': {
        if (item === null) continue;
        if (ancestors.has(item)) throw new InvalidAppendError(`${at} refers back to itself (a cycle)`);
        if (depth > MAX_JSON_DEPTH) {
          throw new InvalidAppendError(`${at} nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`);
        }
        if (!Array.isArray(item)) {
          const proto = Object.getPrototypeOf(item);
          if (proto !== Object.prototype && proto !== null) {
            const kind = (item as object).constructor?.name ?? 'object';
            throw new InvalidAppendError(`${at} is a ${kind}, not plain JSON data`);
          }
        }
        ancestors.add(item);
        stack.push({ leave: item });
        const children: Step[] = Array.isArray(item)
          ? item.map((child, i) => ({ value: child, path: `${at}[${i}]`, depth: depth + 1 }))
          : Object.entries(item)
              // An undefined property is dropped by JSON, as an absent key would be.
              .filter(([, child]) => child !== undefined)
              .map(([key, child]) => ({ value: child, path: `${at}.${key}`, depth: depth + 1 }));
        // Reversed, so that the first problem in document order is the one reported.
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
        continue;
      }
      default:
        throw new InvalidAppendError(`${at} is a ${typeof item}, which JSON cannot represent`);
    }
  }
}

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit` levels (the value itself
 * is level 1). Iterative, and stops at the first container past the limit. On the webhook's hot path:
 * about a microsecond for a 5 KB Stripe event.
 */
export function jsonDepthExceeds(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit < 1) return true;
  const containers: object[] = [value];
  const depths: number[] = [1];
  while (containers.length) {
    const container = containers.pop()!;
    const depth = depths.pop()!;
    const push = (child: unknown): boolean => {
      if (typeof child !== 'object' || child === null) return false;
      if (depth >= limit) return true;
      containers.push(child);
      depths.push(depth + 1);
      return false;
    };
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) if (push(container[i])) return true;
    } else {
      // Parsed JSON: own enumerable properties only (an own `__proto__` included).
      for (const key in container) if (push((container as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
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
