/**
 * The ceiling for bench/ingest.bench.ts: a bare node:http server that does the least any webhook
 * endpoint must (read the body, verify its signature and parse it with the Stripe SDK) and stores
 * nothing. Under the same load generator on the same cores, it shows what is left for storing.
 * Env: PEER_WEBHOOK_SECRET. Prints `PEER_READY <port>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

const secret = process.env.PEER_WEBHOOK_SECRET!;
const stripe = new Stripe('sk_test_verify_only');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let status = 200;
    let body: string;
    try {
      const signature = String(request.headers['stripe-signature'] ?? '');
      const event = stripe.webhooks.constructEvent(Buffer.concat(chunks), signature, secret);
      body = JSON.stringify({ received: true, eventId: event.id, duplicate: false });
    } catch (error) {
      status = 400;
      body = JSON.stringify({ error: (error as Error).message });
    }
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`PEER_READY ${(server.address() as AddressInfo).port}`));
