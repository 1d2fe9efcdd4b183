import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { requestIdFor } from './http-observer';
import { createProcessLogger, pathOf, prettyDestination, prettyLogs } from './logging';

function captured(level: 'info' | 'warn' | 'debug' = 'info') {
  const lines: string[] = [];
  const logger = createProcessLogger('api', { level, format: 'json' }, { write: (line: string) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function request(url: string, headers: Record<string, string> = {}): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.url = url;
  message.headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return message;
}

describe('createProcessLogger', () => {
  it('writes one JSON object a line: level by name, ISO time, msg, the process name', () => {
    const { logger, lines, parsed } = captured();
    logger.info({ context: 'Projections' }, 'projection "customers" caught up');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    const [line] = parsed();
    expect(line).toMatchObject({
      level: 'info',
      name: 'api',
      context: 'Projections',
      msg: 'projection "customers" caught up',
    });
    expect(line!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes nothing below its level', () => {
    const { logger, parsed } = captured('warn');
    logger.info('hidden');
    logger.debug('hidden too');
    logger.warn('shown');
    logger.error('shown too');
    expect(parsed().map((line) => [line.level, line.msg])).toEqual([
      ['warn', 'shown'],
      ['error', 'shown too'],
    ]);
  });

  it('puts an error with its stack in err', () => {
    const { logger, parsed } = captured();
    logger.fatal({ err: new Error('no database') }, 'failed to start: no database');
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'fatal', err: { type: 'Error', message: 'no database' } });
    expect((line!.err as { stack: string }).stack).toContain('logging.unit.spec.ts');
  });

  it('redacts credentials in a headers object, and logs a request by method and path alone', () => {
    const { logger, lines, parsed } = captured();
    const headers = {
      authorization: 'Bearer admin-key-0123456789',
      cookie: 'session=abc',
      'stripe-signature': 't=1,v1=deadbeef',
      'x-api-key': 'key-0123456789',
      accept: 'application/json',
    };
    logger.info({ headers }, 'outbound call');
    logger.error({ err: Object.assign(new Error('refused'), { headers }) }, 'call failed');
    const raw = request('/customers?q=secretsearchterm', headers);
    raw.method = 'GET';
    logger.info({ req: raw, res: { statusCode: 200, headers } }, 'a whole request');
    const text = lines.join('');
    for (const secret of ['admin-key-0123456789', 'session=abc', 'deadbeef', 'key-0123456789', 'secretsearchterm']) {
      expect(text).not.toContain(secret);
    }
    expect(text.match(/\[redacted\]/g)).toHaveLength(8);
    expect(parsed()[2]).toMatchObject({ req: { method: 'GET', path: '/customers' }, res: { statusCode: 200 } });
  });
});

describe('the format', () => {
  it('is pretty on a terminal unless LOG_FORMAT says json, and JSON elsewhere unless it says pretty', () => {
    expect(prettyLogs(null, { isTTY: true })).toBe(true);
    expect(prettyLogs(null, { isTTY: false })).toBe(false);
    expect(prettyLogs(null, {})).toBe(false);
    expect(prettyLogs('json', { isTTY: true })).toBe(false);
    expect(prettyLogs('pretty', { isTTY: false })).toBe(true);
  });

  it('pretty-prints a line with its time, level, context, message and request id, synchronously', () => {
    const written: string[] = [];
    const logger = createProcessLogger(
      'api',
      { level: 'info', format: 'pretty' },
      prettyDestination((text) => written.push(text)),
    );
    logger.warn({ context: 'StripeWebhook', reqId: 'abc-123' }, 'rejected webhook');
    // eslint-disable-next-line no-control-regex
    const text = written.join('').replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(api\): StripeWebhook: rejected webhook \[abc-123\]\n$/);
  });
});

describe('requests', () => {
  it('keep the X-Request-Id they send when it is 1 to 128 visible ASCII characters', () => {
    expect(requestIdFor(request('/', { 'X-Request-Id': 'abc-123' }))).toBe('abc-123');
    const longest = 'a'.repeat(128);
    expect(requestIdFor(request('/', { 'X-Request-Id': longest }))).toBe(longest);
  });

  it('get a new UUID without one, or with one too long, with spaces or outside ASCII', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const sent of [undefined, '', 'a'.repeat(129), 'two words', 'tab\there', 'café']) {
      const id = requestIdFor(request('/', sent === undefined ? {} : { 'X-Request-Id': sent }));
      expect(id).toMatch(uuid);
    }
    expect(requestIdFor(request('/'))).not.toBe(requestIdFor(request('/')));
  });

  it('are logged by path, never with their query string', () => {
    expect(pathOf(request('/customers?q=secretsearchterm&limit=5'))).toBe('/customers');
    expect(pathOf(request('/customers/cus_1'))).toBe('/customers/cus_1');
    expect(pathOf(request('/customers/ada%40example.com/invoices'))).toBe('/customers/…/invoices');
    expect(pathOf(request('/payments/4000056655665556/refund'))).toBe('/payments/…/refund');
    expect(pathOf(request('/streams/customer-0b6f5a1e-94d1-4a3c-9d1e-1f2a3b4c5d6e'))).toBe(
      '/streams/customer-0b6f5a1e-94d1-4a3c-9d1e-1f2a3b4c5d6e',
    );
  });
});
