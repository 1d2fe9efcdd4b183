import { describe, expect, it } from '@jest/globals';
import { estimateListingTotal } from './listing-estimate';

describe('estimateListingTotal', () => {
  const listedFrom = 1_000_000;

  it('scales what was fetched by the share of the time range covered', () => {
    // A quarter of the way back from the start of listing to the lower bound, 50 objects fetched.
    expect(estimateListingTotal({ fetched: 50, done: false, oldestCreated: 750_000, listedFrom, lowerBound: 0 })).toBe(
      200,
    );
  });

  it('is exact once the listing is done', () => {
    expect(estimateListingTotal({ fetched: 321, done: true, oldestCreated: null, listedFrom, lowerBound: null })).toBe(
      321,
    );
  });

  it('is unknown without a lower bound or before anything is listed', () => {
    expect(
      estimateListingTotal({ fetched: 10, done: false, oldestCreated: 900_000, listedFrom, lowerBound: null }),
    ).toBeNull();
    expect(
      estimateListingTotal({ fetched: 0, done: false, oldestCreated: null, listedFrom, lowerBound: 0 }),
    ).toBeNull();
  });

  it('never estimates fewer objects than there must be', () => {
    // Objects older than the lower bound (clock skew, an account moved): at least one more page is coming.
    expect(estimateListingTotal({ fetched: 100, done: false, oldestCreated: -5, listedFrom, lowerBound: 0 })).toBe(101);
  });
});
