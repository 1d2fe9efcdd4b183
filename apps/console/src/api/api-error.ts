/** A refused or failed API call, with the API's own messages (one per invalid field for a 400). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly body: unknown,
  ) {
    super(messages.join('; ') || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** Nest answers `{ message: string | string[] }`; anything else is shown as the status line. */
export function messagesOf(status: number, statusText: string, body: unknown): string[] {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (Array.isArray(message)) return message.map(String);
    if (typeof message === 'string') return [message];
  }
  if (typeof body === 'string' && body.trim() !== '') return [body.trim()];
  return [`${status} ${statusText}`.trim()];
}
