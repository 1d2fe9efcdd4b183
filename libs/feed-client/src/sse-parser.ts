/** One dispatched server-sent event. */
export interface SseMessage {
  /** The `event` field; `message` when the server sent none. */
  event: string;
  /** The `data` lines, joined with `\n`. */
  data: string;
  /** The `id` set in this event's own block, if any. */
  id: string | undefined;
  /** The last id seen on the stream so far (it carries over events without one), as EventSource has it. */
  lastEventId: string;
}

/**
 * An incremental parser for text/event-stream (the HTML living standard's algorithm): feed it text
 * in chunks split anywhere, get back the events completed so far. Lines end with CRLF, LF or CR;
 * comments (`:`) are skipped; `data` lines accumulate; an event is dispatched at a blank line and
 * only if it had data. Decoding bytes to text is the caller's job (a streaming TextDecoder, so a
 * UTF-8 sequence split across chunks stays whole).
 */
export class SseParser {
  /** The server's reconnection delay (`retry`), if it sent one. */
  retry: number | undefined;
  lastEventId = '';
  private pending = '';
  private started = false;
  private data: string[] = [];
  private eventType = '';
  private blockId: string | undefined;
  /** The last chunk ended with a CR: an LF starting the next one is the rest of that CRLF. */
  private skipLf = false;

  push(chunk: string): SseMessage[] {
    if (chunk === '') return [];
    if (this.skipLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.skipLf = false;
    let text = this.pending + chunk;
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a leading BOM is not part of the stream
    }
    const out: SseMessage[] = [];
    // Positions of the next CR and LF, searched again only once passed: a chunk holding many lines
    // is scanned once, not once per line.
    let cr = text.indexOf('\r');
    let lf = text.indexOf('\n');
    let start = 0;
    for (;;) {
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      let next = end + 1;
      if (end === cr) {
        if (text[end + 1] === '\n') next++;
        // A CR as the last character may be the first half of a CRLF split across chunks.
        else if (end + 1 === text.length) this.skipLf = true;
      }
      this.line(text.slice(start, end), out);
      start = next;
    }
    this.pending = text.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') return this.dispatch(out);
    if (line.startsWith(':')) return; // a comment (servers send them as keep-alives)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        // An id with a NUL is ignored, as the standard says.
        if (!value.includes('\0')) this.lastEventId = this.blockId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
      // Unknown fields are ignored.
    }
  }

  private dispatch(out: SseMessage[]): void {
    if (this.data.length) {
      out.push({
        event: this.eventType || 'message',
        data: this.data.join('\n'),
        id: this.blockId,
        lastEventId: this.lastEventId,
      });
    }
    this.data = [];
    this.eventType = '';
    this.blockId = undefined;
  }
}
