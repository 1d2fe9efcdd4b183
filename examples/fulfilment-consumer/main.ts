/**
 * A fulfilment service's worker: one member of the `fulfilment` consumer group, handling payment
 * events. Run as many as you like (each with its own MEMBER); the group shares the events between
 * them, and an event a worker took but never acked goes to another after the ack timeout.
 */
import { FeedClient, PermanentError } from '@ledgerline/feed-client';

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const feed = new FeedClient({ baseUrl: env('LEDGERLINE_URL'), apiKey: env('LEDGERLINE_API_KEY') });
const group = feed.group(env('GROUP', 'fulfilment'));
const member = env('MEMBER', `fulfilment-${process.pid}`);
// Stands in for the real work (reserving stock, booking a shipment) in demos and tests.
const workMs = Number(process.env.WORK_MS ?? 0);

async function main(): Promise<void> {
  await group.ensure({ categories: ['payment', 'stripe_charge'], ackTimeoutMs: 30_000 });
  const worker = group.consume({ member, max: Number(process.env.MAX ?? 20) }, async (event, delivery) => {
    // An event this worker can never handle is parked for a person to look at, not retried forever.
    if (typeof event.data !== 'object' || event.data === null) throw new PermanentError(`${event.type} without data`);
    if (workMs) await new Promise((resolve) => setTimeout(resolve, workMs));
    // Handlers must be idempotent (delivery is at least once): a real one would record event.eventId.
    const { type, position, eventId } = event;
    process.stdout.write(
      `${JSON.stringify({ member, type, position, eventId, deliveryCount: delivery.deliveryCount })}\n`,
    );
  });
  // Orchestrators send SIGTERM before they kill: finish the current event, ack, and leave.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
