import { describe, expect, it } from '@jest/globals';
import { day, listWords, money, words } from './format';

describe('activity wording helpers', () => {
  it('formats Stripe minor units with the currency, zero- and three-decimal currencies included', () => {
    expect(money(1250, 'eur')).toBe('€12.50');
    expect(money(900, 'usd')).toBe('$9.00');
    expect(money(1500, 'jpy')).toBe('¥1,500');
    expect(money(1500, 'krw')).toBe('₩1,500');
    expect(money(12340, 'kwd')).toBe('KWD 12.340');
    expect(money(123456, 'gbp')).toBe('£1,234.56');
    expect(money(-500, 'usd')).toBe('-$5.00');
    expect(money(0, 'usd')).toBe('$0.00');
  });

  it('gives null for a missing amount or currency, and still reads a malformed currency code', () => {
    expect(money(null, 'usd')).toBeNull();
    expect(money(100, null)).toBeNull();
    expect(money(100, 'x1')).toBe('1.00 X1');
    expect(money(250, 'x1')).toBe('2.50 X1'); // the remembered "no formatter" answer, not a stale amount
    expect(money(250, 'eur')).toBe('€2.50');
  });

  it('writes dates in UTC as day, month, year', () => {
    expect(day(1381280730)).toBe('9 Oct 2013');
    expect(day(Date.UTC(2026, 2, 31, 23, 59, 59) / 1000)).toBe('31 Mar 2026');
    expect(day(null)).toBeNull();
  });

  it('unsnakes enum values and shortens long lists', () => {
    expect(words('past_due')).toBe('past due');
    expect(listWords(['a', 'b'])).toBe('a, b');
    expect(listWords(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});
