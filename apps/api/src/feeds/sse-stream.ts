import type { Response } from 'express';

/** The client stopped taking what was written for longer than the drain timeout. */
export class SlowConsumerError extends Error {}

export interface SseFrame {
  id?: string;
  event?: string;
  data: unknown;
}

/**
 * A server-sent-events response with backpressure: `send` resolves once the frame is written, and
 * waits for the socket to drain when the kernel buffer is full, so a slow client holds at most one
 * batch in this process. A client that takes no more within the drain timeout gets a SlowConsumerError.
 */
export class SseStream {
  private closedByClient = false;

  constructor(
    private readonly response: Response,
    private readonly drainTimeoutMs: number,
  ) {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    // The connection is the subscription: when the stream ends, so does the socket.
    response.setHeader('Connection', 'close');
    // Proxies (nginx) must pass frames through, not buffer them.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.on('close', () => (this.closedByClient = true));
    // EventSource clients wait this long before reconnecting with Last-Event-ID.
    response.write('retry: 2000\n\n');
  }

  get closed(): boolean {
    return this.closedByClient || this.response.writableEnded;
  }

  onClose(listener: () => void): void {
    this.response.on('close', listener);
  }

  async send(frame: SseFrame): Promise<void> {
    const lines = [
      ...(frame.id === undefined ? [] : [`id: ${frame.id}`]),
      ...(frame.event === undefined ? [] : [`event: ${frame.event}`]),
      `data: ${JSON.stringify(frame.data)}`,
    ];
    await this.write(`${lines.join('\n')}\n\n`);
  }

  async comment(text: string): Promise<void> {
    await this.write(`: ${text}\n\n`);
  }

  /** Best effort (the client may already be gone), then the response ends. */
  end(last?: SseFrame): void {
    if (this.closed) return;
    if (last) {
      this.response.write(`${last.event ? `event: ${last.event}\n` : ''}data: ${JSON.stringify(last.data)}\n\n`);
    }
    this.response.end();
  }

  private async write(chunk: string): Promise<void> {
    if (this.closed) return;
    if (this.response.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new SlowConsumerError(`the client took nothing for ${this.drainTimeoutMs} ms`));
      }, this.drainTimeoutMs);
      const done = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.response.off('drain', done);
        this.response.off('close', done);
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }
}
