/** What a command answers: the aggregate it acted on and the events it appended. */
export interface CommandResult {
  id: string;
  commandId: string;
  correlationId: string;
  events: { eventId: string; type: string; stream: string; revision: string; position: string }[];
}
