/** One server-sent event as the wire carried it. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a server-sent-events response over real HTTP until `enough(frames)` says so, the server ends
 * it, or `timeoutMs` passes; then disconnects. Test code: the typed client lives in libs/feed-client.
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
    let buffer = '';
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) {
        ended = !abort.signal.aborted;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame = parseFrame(block);
        if (frame) frames.push(frame);
      }
      if (enough(frames)) break;
    }
    abort.abort();
    return { status: response.status, frames, ended };
  } finally {
    clearTimeout(timer);
  }
}

function parseFrame(block: string): SseFrame | null {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { id, event, data: data.join('\n') } : null;
}
