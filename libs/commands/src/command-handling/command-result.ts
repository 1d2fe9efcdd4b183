import type { CommandContext } from './command-context';

/** What a command answers: the aggregate it acted on and the events it appended. */
export interface CommandResult {
  id: string;
  commandId: string;
  correlationId: string;
  events: { eventId: string; type: string; stream: string; revision: string; position: string }[];
}

export function commandResult(context: CommandContext, id: string, events: CommandResult['events']): CommandResult {
  return { id, commandId: context.commandId, correlationId: context.correlationId, events };
}
