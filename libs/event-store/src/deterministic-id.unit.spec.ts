import { describe, expect, it } from '@jest/globals';
import { uuidV5 } from './deterministic-id';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  it('matches the RFC 4122 reference value', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same id for the same Stripe event id and different ids otherwise', () => {
    const namespace = '0b7f9a52-5a2b-4c8e-9f3d-2d6f1c7e8a90';
    expect(uuidV5('evt_1', namespace)).toBe(uuidV5('evt_1', namespace));
    expect(uuidV5('evt_1', namespace)).not.toBe(uuidV5('evt_2', namespace));
    expect(uuidV5('evt_1', namespace)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('evt_1', 'not-a-uuid')).toThrow('Namespace must be a UUID');
  });
});
