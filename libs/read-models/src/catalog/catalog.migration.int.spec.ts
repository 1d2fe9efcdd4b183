import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import {
  StripeObjects1763900000100,
  StripeObjectsByReference1764000002100,
} from '../stripe-objects/stripe-objects.migration';
import { Catalog1764000000500, PriceTrials1764000002200 } from './catalog.migration';

/** PriceTrials fills the new column from the snapshot copies that stripe_objects version 1 left. */
describe('PriceTrials1764000002200', () => {
  let database: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    database = await createTestDatabase('price_trials');
    await runMigrations(database.url, [StripeObjects1763900000100, Catalog1764000000500]);
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('takes each price’s trial from its version-1 copy, and leaves it empty without one', async () => {
    const price = (id: string) =>
      client.query(
        `INSERT INTO prices (id, last_event_id, last_event_created, last_event_position) VALUES ($1, 'evt', 1, 1)`,
        [id],
      );
    const copy = (id: string, data: object) =>
      client.query(
        `INSERT INTO stripe_objects (id, object_type, data, deleted, last_event_id, last_event_created, last_event_position, events_seen)
         VALUES ($1, 'price', $2, false, 'evt', 1, 1, 1)`,
        [id, JSON.stringify(data)],
      );
    await Promise.all(['price_number', 'price_string', 'price_none', 'price_uncopied'].map(price));
    await copy('price_number', { id: 'price_number', recurring: { trial_period_days: 14 } });
    await copy('price_string', { id: 'price_string', recurring: { trial_period_days: '7' } });
    await copy('price_none', { id: 'price_none', recurring: { interval: 'month' } });

    await runMigrations(database.url, [
      StripeObjects1763900000100,
      Catalog1764000000500,
      StripeObjectsByReference1764000002100,
      PriceTrials1764000002200,
    ]);
    const { rows } = await client.query(`SELECT id, trial_period_days FROM prices ORDER BY id`);
    expect(rows).toEqual([
      { id: 'price_none', trial_period_days: null },
      { id: 'price_number', trial_period_days: 14 },
      { id: 'price_string', trial_period_days: 7 },
      { id: 'price_uncopied', trial_period_days: null },
    ]);
  });
});
