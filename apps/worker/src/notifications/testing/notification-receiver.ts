import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: {
    id: string;
    kind: string;
    customerId: string;
    customerStripeId: string;
    occurredAt: string;
    subject: unknown;
  };
}

/** How the receiver answers one request: a status code, or 'hang' (never answers, until closed). */
export type Answer = number | 'hang';

export interface NotificationReceiver {
  url: string;
  received: Received[];
  answer: (request: Received) => Answer;
  close(): Promise<void>;
}

/** A real HTTP endpoint standing in for the platform's notification service. */
export async function startReceiver(answer: (request: Received) => Answer = () => 200): Promise<NotificationReceiver> {
  const receiver: NotificationReceiver = { url: '', received: [], answer, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { headers: request.headers, body, json: JSON.parse(body) };
      receiver.received.push(received);
      const status = receiver.answer(received);
      if (status !== 'hang') response.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/notifications?token=t0ken`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/**
 * Checks `Ledgerline-Signature` as a receiver would, written apart from the channel's signing code:
 * `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, within `toleranceSeconds` of now.
 */
export function signatureIsValid(received: Received, secret: string, toleranceSeconds = 300): boolean {
  const header = String(received.headers['ledgerline-signature'] ?? '');
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${received.body}`).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
