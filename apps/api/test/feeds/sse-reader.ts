import { SseParser } from '@ledgerline/feed-client';

/** One server-sent event as the wire carried it. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a server-sent-events response over real HTTP until `enough(frames)` says so, the server ends
 * it, or `timeoutMs` passes; then disconnects. Frames as they came, parsed by the client's own parser.
 */
export async function readSse(
  url: string,
  headers: Record<string, string>,
  enough: (frames: SseFrame[]) => boolean,
  timeoutMs = 20_000,
): Promise<{ status: number; frames: SseFrame[]; ended: boolean; body?: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const frames: SseFrame[] = [];
  let ended = false;
  try {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (!response.ok || !response.body)
      return { status: response.status, frames, ended: true, body: await response.text() };
    const decoder = new TextDecoder();
    const parser = new SseParser();
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) {
        ended = !abort.signal.aborted;
        break;
      }
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        frames.push({ id: message.id, event: message.event, data: message.data });
      }
      if (enough(frames)) break;
    }
    abort.abort();
    return { status: response.status, frames, ended };
  } finally {
    clearTimeout(timer);
  }
}
