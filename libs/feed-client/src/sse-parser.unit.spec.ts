import { describe, expect, it } from '@jest/globals';
import { type SseMessage, SseParser } from './sse-parser';

/** Feeds `text` to a fresh parser cut at the given offsets; returns every message and the parser. */
function parse(text: string, cuts: number[] = []): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    messages.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  return { messages, parser };
}

// What the feed sends: retry first, events with their position as id, a heartbeat, a reconnect.
const FEED = [
  'retry: 2000',
  '',
  'id: 17',
  'data: {"position":"17","type":"charge.succeeded"}',
  '',
  ': keep-alive',
  '',
  'id: 42',
  'event: heartbeat',
  'data: {"position":"42"}',
  '',
  'event: reconnect',
  'data: {"from":"42","reason":"the server is shutting down"}',
  '',
  '',
].join('\n');

const EXPECTED: SseMessage[] = [
  { event: 'message', id: '17', lastEventId: '17', data: '{"position":"17","type":"charge.succeeded"}' },
  { event: 'heartbeat', id: '42', lastEventId: '42', data: '{"position":"42"}' },
  {
    event: 'reconnect',
    id: undefined,
    lastEventId: '42',
    data: '{"from":"42","reason":"the server is shutting down"}',
  },
];

describe('SseParser', () => {
  it('parses a feed in one piece: ids, event names, comments skipped, retry kept', () => {
    const { messages, parser } = parse(FEED);
    expect(messages).toEqual(EXPECTED);
    expect(parser.retry).toBe(2000);
  });

  it('gives the same messages wherever the chunks are cut, one cut or two, with LF, CRLF or CR line ends', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = FEED.replaceAll('\n', eol);
      for (let a = 0; a <= text.length; a++) {
        expect(parse(text, [a]).messages).toEqual(EXPECTED);
      }
      for (let a = 0; a < text.length; a += 3) {
        for (let b = a; b <= text.length; b += 5) expect(parse(text, [a, b]).messages).toEqual(EXPECTED);
      }
    }
  });

  it('one character at a time, with mixed line ends and a CRLF split between chunks', () => {
    const text = 'id: 1\r\ndata: a\r\rdata: b\n\r\n';
    const cuts = Array.from({ length: text.length }, (_, i) => i);
    expect(parse(text, cuts).messages).toEqual([
      { event: 'message', id: '1', lastEventId: '1', data: 'a' },
      { event: 'message', id: undefined, lastEventId: '1', data: 'b' },
    ]);
  });

  it('dispatches as soon as the blank line is complete, even if it ends with a lone CR', () => {
    const parser = new SseParser();
    expect(parser.push('data: x\r')).toEqual([]);
    expect(parser.push('\r')).toEqual([{ event: 'message', id: undefined, lastEventId: '', data: 'x' }]);
    // The LF after that CR is not another blank line, and the next block parses normally.
    expect(parser.push('\ndata: y\n\n')).toEqual([{ event: 'message', id: undefined, lastEventId: '', data: 'y' }]);
  });

  it('joins multi-line data with LF, keeps an empty data line, strips one leading space only', () => {
    const { messages } = parse('data: first\ndata:second\ndata:  indented\ndata\ndata:\n\n');
    expect(messages).toEqual([
      { event: 'message', id: undefined, lastEventId: '', data: 'first\nsecond\n indented\n\n' },
    ]);
  });

  it('an id without data sets the last event id but dispatches nothing; the next event carries it', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('7');
    expect(parser.push('data: x\n\n')).toEqual([{ event: 'message', id: undefined, lastEventId: '7', data: 'x' }]);
    // An event name without data is dropped too, and does not leak into the next event.
    expect(parser.push('event: heartbeat\n\ndata: y\n\n')).toEqual([
      { event: 'message', id: undefined, lastEventId: '7', data: 'y' },
    ]);
  });

  it('ignores comments, unknown fields, a retry that is not a number and an id holding NUL', () => {
    const { messages, parser } = parse(
      ':comment\n: another: with colon\nfoo: bar\nretry: 1.5\nretry: soon\nid: a\0b\ndata: x\n\n',
    );
    expect(messages).toEqual([{ event: 'message', id: undefined, lastEventId: '', data: 'x' }]);
    expect(parser.retry).toBeUndefined();
  });

  it('an empty id resets the last event id; a field line without a colon is a field with an empty value', () => {
    const { messages } = parse('id: 3\ndata: a\n\nid\ndata: b\n\n');
    expect(messages.map((m) => [m.id, m.lastEventId])).toEqual([
      ['3', '3'],
      ['', ''],
    ]);
  });

  it('keeps an unfinished event until its blank line arrives, and skips a leading BOM', () => {
    const parser = new SseParser();
    expect(parser.push('\uFEFFdata: {"a":')).toEqual([]);
    expect(parser.push('1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', id: undefined, lastEventId: '', data: '{"a":1}' }]);
  });

  it('parses a large chunk of many events in linear time', () => {
    const block = (n: number) => `id: ${n}\ndata: {"n":${n},"padding":"${'x'.repeat(200)}"}\n\n`;
    const text = Array.from({ length: 20_000 }, (_, n) => block(n)).join('');
    const started = Date.now();
    const { messages } = parse(text, [1_000_000, 2_000_001]);
    expect(messages).toHaveLength(20_000);
    expect(messages[19_999]!.id).toBe('19999');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
