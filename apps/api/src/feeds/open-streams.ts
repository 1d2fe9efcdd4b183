import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

type Finish = (last: { event: string; data: unknown }) => void;

/**
 * The feeds' open server-sent-event streams. They never end by themselves, so on shutdown each is
 * told to reconnect (to another instance, or this one once it is back) and ended: the HTTP server
 * can then close.
 */
@Injectable()
export class OpenStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<Finish>();

  /** Registers a stream's finish; returns what to call when it ends by itself. */
  add(finish: Finish): () => void {
    this.open.add(finish);
    return () => this.open.delete(finish);
  }

  beforeApplicationShutdown(): void {
    for (const finish of [...this.open]) {
      finish({ event: 'reconnect', data: { reason: 'the server is shutting down' } });
    }
    this.open.clear();
  }
}
