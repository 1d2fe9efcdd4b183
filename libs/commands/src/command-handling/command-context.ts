import { randomUUID } from 'node:crypto';
import { type EventMetadata, uuidV5 } from '@ledgerline/event-store';
import { currentSchemaVersion } from '@ledgerline/events';

/** Namespace of ids derived from an Idempotency-Key (command ids, new aggregate ids, event ids). */
const COMMAND_ID_NAMESPACE = '5f0c2b7e-8d3a-4e61-a4c9-2b8e7d1f0a63';

/** Who issued a command and how it ties to the request: becomes the metadata of every event it appends. */
export interface CommandContext {
  /** The API key's name. */
  actor: string;
  /** One id per command; derived from the Idempotency-Key when there is one, so a retry gets the same. */
  commandId: string;
  /** The Idempotency-Key or X-Request-Id header, else the command id: ties the command to its effects. */
  correlationId: string;
  /** When the command was issued. */
  issuedAt: Date;
  /** Set when the command runs under an Idempotency-Key: ids derived from it are stable across retries. */
  idempotent: boolean;
}

export function commandContext(options: {
  actor: string;
  idempotencyKey?: string | null;
  requestId?: string | null;
  issuedAt?: Date;
}): CommandContext {
  const key = options.idempotencyKey?.trim() || null;
  const commandId = key ? uuidV5(`${options.actor}/${key}`, COMMAND_ID_NAMESPACE) : randomUUID();
  return {
    actor: options.actor,
    commandId,
    correlationId: key ?? (options.requestId?.trim() || commandId),
    issuedAt: options.issuedAt ?? new Date(),
    idempotent: key !== null,
  };
}

/** A new id owned by this command (a new customer, a refund request): stable under an Idempotency-Key. */
export function newIdFor(context: CommandContext, purpose: string): string {
  return context.idempotent ? uuidV5(`${context.commandId}/${purpose}`, COMMAND_ID_NAMESPACE) : randomUUID();
}

/** The store metadata of a platform event of type `type` decided by this command. */
export function platformMetadata(context: CommandContext, type: string): EventMetadata {
  return {
    source: 'platform',
    occurredAt: context.issuedAt.toISOString(),
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.commandId,
    schemaVersion: currentSchemaVersion(type, 'platform'),
  };
}
