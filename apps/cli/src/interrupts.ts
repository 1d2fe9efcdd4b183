export interface Interrupts {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Resolves when the signal aborts. */
  readonly interrupted: Promise<void>;
  /** Aborts as a signal would (e.g. stdout closed under `| head`). */
  abort(): void;
  dispose(): void;
}

/**
 * Turns Ctrl-C and SIGTERM into a request to stop at the next safe point (after the batch in hand),
 * so a long run leaves its progress stored and the databases closed. A second signal means the
 * operator will not wait: exit at once, progress is still safe (batches are transactions).
 */
export function trapInterrupts(log: (message: string) => void): Interrupts {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    log(`${signal}: stopping at the next safe point (send it again to exit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const interrupted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
  return {
    signal: controller.signal,
    interrupted,
    abort: () => controller.abort(),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
