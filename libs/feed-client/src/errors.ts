import type { FeedEvent } from './types';

/** The server answered with an error status. 4xx other than 408 and 429 are not retried. */
export class FeedHttpError extends Error {
  override readonly name = 'FeedHttpError';

  constructor(
    readonly status: number,
    /** The server's messages (a 400 lists every problem). */
    readonly messages: string[],
    readonly body: unknown,
    request: string,
    /** From a 429's or 503's Retry-After header. */
    readonly retryAfterMs?: number,
  ) {
    super(`${request} answered ${status}${messages.length ? `: ${messages.join('; ')}` : ''}`);
  }

  static async from(response: Response, request: string): Promise<FeedHttpError> {
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): keep the text.
    }
    const message = (body as { message?: unknown } | null)?.message;
    const messages = [message ?? (typeof body === 'string' && body ? body.slice(0, 200) : [])].flat().map(String);
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1_000 : undefined;
    return new FeedHttpError(response.status, messages, body, request, retryAfterMs);
  }
}

/** The server could not be reached, or the connection broke or went silent. Always retried. */
export class FeedConnectionError extends Error {
  override readonly name = 'FeedConnectionError';
}

/** A subscription's handler threw: the subscription stops before that event (it is not skipped). */
export class HandlerError extends Error {
  override readonly name = 'HandlerError';

  constructor(
    readonly event: FeedEvent,
    cause: unknown,
  ) {
    super(`the handler failed on event ${event.eventId} at position ${event.position}: ${messageOf(cause)}`, {
      cause,
    });
  }
}

/** The checkpoint store failed to save a position: the subscription stops rather than run on unsaved. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/**
 * Throw it from a group handler for an event that will never succeed (bad data, unknown version):
 * the event is parked at once instead of being retried.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** Worth trying again: the network, timeouts, rate limiting and server errors. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof FeedConnectionError) return true;
  return error instanceof FeedHttpError && (error.status === 408 || error.status === 429 || error.status >= 500);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
