import type { RecordedEvent } from '@ledgerline/event-store';
import { uuidV5 } from '@ledgerline/event-store';

/** Namespace for the store ids of test platform events: the same name always gets the same id. */
const TEST_PLATFORM_NAMESPACE = '0b5e9c4a-7d21-4f3e-8a6b-2c9d1e0f4a7b';

export interface PlatformEventInput {
  /** Names the event: its store id is derived from it, whatever position it arrives at. */
  name: string;
  type: string;
  stream: string;
  data: Record<string, unknown>;
  occurredAt: string;
  actor: string;
  /** For outcome events: the command event's store id. */
  causationId?: string;
}

/** The store id a test platform event of this name gets. */
export function platformEventId(name: string): string {
  return uuidV5(name, TEST_PLATFORM_NAMESPACE);
}

/** A stored platform event (as the store would hand it to a projector) at the given position. */
export function recordedPlatformEvent(input: PlatformEventInput, position: number): RecordedEvent {
  return {
    id: platformEventId(input.name),
    type: input.type,
    stream: input.stream,
    revision: 0n,
    position: BigInt(position),
    data: input.data,
    metadata: {
      source: 'platform',
      occurredAt: input.occurredAt,
      actor: input.actor,
      schemaVersion: 1,
      ...(input.causationId ? { causationId: input.causationId } : {}),
      recordedAt: new Date(Date.UTC(2026, 0, 1) + position * 1000).toISOString(),
    },
  };
}

export function isPlatformInput(value: unknown): value is PlatformEventInput {
  return typeof value === 'object' && value !== null && 'name' in value && 'stream' in value && 'actor' in value;
}

/** The outcome of command `command` (its name), appended to the command's stream by the process manager. */
export function outcomeOf(
  command: PlatformEventInput,
  name: string,
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
): PlatformEventInput {
  const commandEventId = platformEventId(command.name);
  return {
    name,
    type,
    stream: command.stream,
    data: { commandEventId, ...data },
    occurredAt,
    actor: 'system:stripe-sync',
    causationId: commandEventId,
  };
}
