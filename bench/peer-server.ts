/**
 * The peer for bench/ingest.bench.ts: @supabase/stripe-sync-engine behind a bare node:http server,
 * run as a child process (startPeer in ingest-support.ts). Env: PEER_DATABASE_URL, PEER_WEBHOOK_SECRET. Prints `PEER_READY <port>`.
 * POST /webhooks/stripe -> processWebhook (200, 400 bad signature, 500 otherwise); GET /stats.
 * It never reaches Stripe: every option that calls the API is off, and its Stripe client points at
 * a local tripwire server that counts (and refuses) any call.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import Stripe from 'stripe';
import { runMigrations, StripeSync } from '@supabase/stripe-sync-engine';

type MigrationLogger = NonNullable<Parameters<typeof runMigrations>[0]['logger']>;

const stats = { ok: 0, failed: 0, stripeApiCalls: 0, errors: {} as Record<string, number> };

async function migrate(databaseUrl: string): Promise<void> {
  const problems: string[] = [];
  const logger = {
    info: () => undefined,
    warn: () => undefined,
    error: (error: unknown) => problems.push(String(error)),
  } as unknown as MigrationLogger;
  await runMigrations({ databaseUrl, schema: 'stripe', logger }); // logs failures instead of throwing
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ table: string | null }>(`SELECT to_regclass('stripe.invoices')::text AS table`);
  await client.end();
  if (!rows[0]?.table) throw new Error(`peer migrations failed: ${problems.join('; ') || 'no stripe.invoices'}`);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function main(): Promise<void> {
  const databaseUrl = process.env.PEER_DATABASE_URL;
  const secret = process.env.PEER_WEBHOOK_SECRET;
  if (!databaseUrl || !secret) throw new Error('PEER_DATABASE_URL and PEER_WEBHOOK_SECRET are required');
  await migrate(databaseUrl);

  const tripwire = createServer((_, response) => {
    stats.stripeApiCalls++;
    response
      .writeHead(503, { 'content-type': 'application/json' })
      .end('{"error":{"message":"bench tripwire: Stripe API call refused"}}');
  });
  const tripwirePort = await listen(tripwire);

  const sync = new StripeSync({
    poolConfig: { connectionString: databaseUrl, max: 10 }, // its default; Ledgerline's pools are 10 each too
    stripeSecretKey: 'sk_test_bench_offline',
    stripeWebhookSecret: secret,
    autoExpandLists: false,
    backfillRelatedEntities: false,
    revalidateObjectsViaStripeApi: [],
  });
  sync.stripe = new Stripe('sk_test_bench_offline', {
    host: '127.0.0.1',
    port: tripwirePort,
    protocol: 'http',
    maxNetworkRetries: 0,
  });

  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    void readBody(request)
      .then((body) => sync.processWebhook(body, request.headers['stripe-signature'] as string | undefined))
      .then(
        () => {
          stats.ok++;
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
        },
        (error: unknown) => {
          stats.failed++;
          const message = error instanceof Error ? error.message.slice(0, 160) : String(error);
          stats.errors[message] = (stats.errors[message] ?? 0) + 1;
          const status = error instanceof Stripe.errors.StripeSignatureVerificationError ? 400 : 500;
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: message }));
        },
      );
  });
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);

  process.once('SIGTERM', () => {
    server.close();
    tripwire.close();
    server.closeAllConnections();
    void sync.close().finally(() => process.exit(0));
  });
  console.log(`PEER_READY ${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
