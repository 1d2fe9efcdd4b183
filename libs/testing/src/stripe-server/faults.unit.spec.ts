import { FaultQueue } from './faults';

describe('FaultQueue', () => {
  it('fails the next N matching requests, whatever their keys', () => {
    const faults = new FaultQueue();
    faults.fail({ method: 'POST', path: '/v1/refunds', status: 429, times: 2 });
    expect(faults.take('POST', '/v1/refunds', 'a')?.kind).toBe('fail');
    expect(faults.take('POST', '/v1/refunds', 'a')?.kind).toBe('fail');
    expect(faults.take('POST', '/v1/refunds', 'b')).toBeUndefined();
  });

  it('fails each idempotency key once when asked, so a fast retry cannot take another key’s failure', () => {
    const faults = new FaultQueue();
    faults.fail({ method: 'POST', path: '/v1/refunds', status: 429, times: 2, oncePerIdempotencyKey: true });
    expect(faults.take('POST', '/v1/refunds', 'a')?.kind).toBe('fail');
    expect(faults.take('POST', '/v1/refunds', 'a')).toBeUndefined(); // a's retry goes through
    expect(faults.take('GET', '/v1/refunds', 'b')).toBeUndefined(); // another method
    expect(faults.take('POST', '/v1/refunds', 'b')?.kind).toBe('fail');
    expect(faults.take('POST', '/v1/refunds', 'c')).toBeUndefined(); // both used
  });
});
