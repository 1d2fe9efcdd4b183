import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import { percentile } from './bench-support';
import type { RequestPool, SignedRequest } from './ingest-fixtures';

export const WEBHOOK_PATH = '/webhooks/stripe';

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Requests per second over all connections (autocannon's overallRate); closed loop when absent. */
  rate?: number;
}

export interface LoadResult {
  eventsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statuses: Record<number, number>;
  signedInLoop: number;
}

/**
 * Posts each of the pool's signed requests once, for `seconds`. Latencies of 2xx responses are
 * taken from autocannon's response events (float ms, no coordinated-omission correction).
 */
export async function postWebhooks(baseUrl: string, pool: RequestPool, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const request = (defaults: autocannon.Request): autocannon.Request => {
    const { body, signature } = pool.take();
    const headers = { ...defaults.headers, 'content-type': 'application/json', 'stripe-signature': signature };
    return { ...defaults, method: 'POST', path: WEBHOOK_PATH, body, headers };
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const settings: autocannon.Options = {
      url: baseUrl,
      connections: options.connections,
      duration: options.seconds,
      ...(options.rate ? { overallRate: options.rate } : {}),
      timeout: 30,
      requests: [{ setupRequest: request }],
    };
    const instance = autocannon(settings, (error: unknown, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  return loadResult(latencies, statuses, result.duration, result.errors + result.timeouts, pool);
}

/**
 * Sends `rate` requests a second on a fixed schedule for `seconds`, whatever the answers (open loop,
 * keep-alive sockets as needed). Latency counts from each request's due time, so a stalled server
 * or a late client shows up in it rather than lowering the rate (no coordinated omission).
 */
export async function pacedWebhooks(baseUrl: string, pool: RequestPool, rate: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1_024 });
  const url = new URL(WEBHOOK_PATH, baseUrl);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const sent: Promise<void>[] = [];
  let errors = 0;
  const start = performance.now();
  for (let i = 0; i < rate * seconds;) {
    for (; i < rate * seconds && start + (i * 1_000) / rate <= performance.now(); i++) {
      const due = start + (i * 1_000) / rate;
      const { body, signature } = pool.take();
      const headers = { 'content-type': 'application/json', 'stripe-signature': signature };
      const answer = new Promise<number>((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', agent, headers }, (response) => {
          response.resume().on('end', () => resolve(response.statusCode ?? 0));
        });
        req.on('error', reject).end(body);
      });
      const done = answer.then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) latencies.push(performance.now() - due);
      });
      sent.push(done.catch(() => void errors++));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(sent);
  agent.destroy();
  return loadResult(latencies, statuses, (performance.now() - start) / 1_000, errors, pool);
}

function loadResult(
  latencies: number[],
  statuses: Record<number, number>,
  seconds: number,
  errors: number,
  pool: RequestPool,
): LoadResult {
  latencies.sort((a, b) => a - b);
  const non2xx = Object.entries(statuses).reduce((n, [status, count]) => (status.startsWith('2') ? n : n + count), 0);
  return {
    eventsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    non2xx,
    errors,
    statuses,
    signedInLoop: pool.signedInLoop,
  };
}

/** Posts one request (outside any measurement); returns the status and the body. */
export async function postOnce(baseUrl: string, { body, signature }: SignedRequest) {
  const response = await fetch(`${baseUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
  return { status: response.status, body: await response.text() };
}

export function formatLoad(label: string, result: LoadResult): string {
  const others = Object.entries(result.statuses)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  return [
    label.padEnd(48),
    `${Math.round(result.eventsPerSecond).toLocaleString('en-US').padStart(6)} events/s`,
    `p50 ${result.p50.toFixed(2).padStart(6)} ms`,
    `p99 ${result.p99.toFixed(2).padStart(7)} ms`,
    `non-2xx ${result.non2xx}${others ? ` (${others})` : ''}`,
    ...(result.errors ? [`errors/timeouts ${result.errors}`] : []),
    ...(result.signedInLoop ? [`(${result.signedInLoop} signed in the loop)`] : []),
  ].join('  ');
}
