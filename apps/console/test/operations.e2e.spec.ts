import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { allProjectors } from '@ledgerline/read-models';
import { eventually } from '@ledgerline/testing';
import { sendWebhook } from '../../api/test/commands/stripe-sync-story';
import { bearer, type ConsoleTestbed, screenshot, startConsoleTestbed } from './console-testbed';
import { gate, intercept, isLive, projectorInstances } from './projector-controls';

interface Projection {
  name: string;
  position: number;
  headPosition: number;
  lag: number;
  parked: number;
}
interface Parked {
  projection: string;
  position: number;
  type: string;
}
interface Rebuild {
  id: number;
  projection: string;
  status: string;
}

/**
 * The Operations page against the real api and worker: projectors are held or broken in the worker
 * (as a slow or buggy read model would be) to make lag, parked events and a rebuild in progress.
 */
describe('console: operations', () => {
  let bed: ConsoleTestbed;
  let page: Page;
  const server = () => bed.api.app.getHttpServer();
  const get = async <T>(path: string): Promise<T> =>
    (await bed.http().get(path).set('Authorization', bearer('admin')).expect(200)).body as T;
  const projections = async () =>
    (await get<Projection[]>('/admin/projections')).filter((p) => !p.name.endsWith(':rebuild'));
  const caughtUp = () =>
    eventually(async () => (await projections()).every((p) => p.lag === 0), 20_000, 'projections to catch up');
  const customerUpdated = (id: string) =>
    sendWebhook(server(), 'customer.updated', { id, object: 'customer', email: `${id}@example.com`, name: id });
  const row = (name: string) => page.locator(`tr[data-projection="${name}"]`);
  const waitForText = (locator: Locator, expected: string | RegExp, what: string) =>
    eventually(
      async () => {
        const text = (await locator.textContent()) ?? '';
        return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
      },
      15_000,
      what,
    );

  beforeAll(async () => {
    // A held projector counts as stalled after a second, so the page shows it without a long wait.
    bed = await startConsoleTestbed({ PROJECTION_STALL_SECONDS: '1' });
    for (let i = 0; i < 5; i++) await customerUpdated(`cus_ops_${i}`);
    await caughtUp();
    page = await bed.signedIn('admin');
    await page.getByRole('link', { name: 'Operations' }).click();
    await row('stripe_objects').waitFor();
  }, 180_000);
  afterAll(async () => bed?.close());

  it('lists every projection with its position, head, lag and status, and follows them without a reload', async () => {
    const listed = await page.locator('tr[data-projection]').all();
    const names = await Promise.all(listed.map((tr) => tr.getAttribute('data-projection')));
    expect(names.sort()).toEqual(
      allProjectors()
        .map((p) => p.name)
        .sort(),
    );
    const head = (await projections())[0]!.headPosition;
    await waitForText(row('stripe_objects').getByTestId('position'), `${head} / ${head}`, 'the head');
    expect(await row('stripe_objects').getByTestId('lag').textContent()).toBe('up to date');
    expect(await row('stripe_objects').locator('.badge').textContent()).toBe('running');

    // stripe_objects is held in the worker: new events wait for it, and the page shows the lag.
    const held = gate();
    const release = intercept(projectorInstances(bed, 'stripe_objects').worker, async (_events, tx) => {
      if (isLive(tx, 'stripe_objects')) await held.opened;
    });
    try {
      await customerUpdated('cus_ops_late_1');
      await customerUpdated('cus_ops_late_2');
      let lag = 0;
      await eventually(async () => {
        const stripeObjects = (await projections()).find((p) => p.name === 'stripe_objects')!;
        lag = stripeObjects.lag;
        return lag >= 2 && (await row('stripe_objects').getByTestId('lag').textContent())!.startsWith(`${lag} events`);
      }, 15_000);
      expect(await row('stripe_objects').getByTestId('lag').textContent()).toMatch(/^\d+ events behind/);
      // The others are not held: they caught up with the same events.
      await waitForText(row('customers').getByTestId('lag'), 'up to date', 'customers up to date');
      // Held past PROJECTION_STALL_SECONDS: stalled, though its status still says running.
      await row('stripe_objects').getByTestId('stalled').waitFor({ timeout: 15_000 });
      expect(await row('stripe_objects').getByTestId('stalled').textContent()).toMatch(/^stalled for \d+ s$/);
      expect(await row('stripe_objects').getAttribute('class')).toBe('warn');
      expect(await row('stripe_objects').locator('.badge').textContent()).toBe('running');
      expect(await row('customers').getByTestId('stalled').count()).toBe(0);
    } finally {
      held.open();
      release();
    }
    await caughtUp();
    const newHead = (await projections())[0]!.headPosition;
    await waitForText(row('stripe_objects').getByTestId('lag'), 'up to date', 'the lag gone');
    await waitForText(row('stripe_objects').getByTestId('position'), `${newHead} / ${newHead}`, 'the new head');
    expect(await row('stripe_objects').getByTestId('stalled').count()).toBe(0);
    expect(await row('stripe_objects').getAttribute('class')).toBeNull();
    expect(page.url()).toMatch(/\/console\/operations$/);
  });

  it('shows the live worker and the units it runs, with nothing left unowned', async () => {
    const workers = page.locator('tr[data-worker]');
    await workers.first().waitFor();
    expect(await workers.count()).toBe(1);
    const units = await workers.first().locator('td').last().textContent();
    const listed = units!.replace(/^\d+: /, '').split(', ');
    expect(units).toMatch(new RegExp(`^${listed.length}: `));
    for (const projector of allProjectors()) expect(listed).toContain(`projection:${projector.name}`);
    expect(await page.locator('#workers .stale-warning').count()).toBe(0);
  });

  it('shows parked events: Retry applies one once it is fixed, Skip drops another', async () => {
    const poisoned = new Set(['cus_poison_a', 'cus_poison_b']);
    const breaks = async (events: { data: unknown }[]) => {
      const hit = events.find((event) => [...poisoned].some((id) => JSON.stringify(event.data).includes(id)));
      if (hit) throw new Error('customer rejected by the test’s broken projector');
    };
    const { api, worker } = projectorInstances(bed, 'customers');
    const restore = [intercept(api, breaks), intercept(worker, breaks)];
    const dataSource = bed.api.app.get(DataSource);
    const inReadModel = async (id: string) =>
      (await dataSource.query(`SELECT 1 FROM customers WHERE $1 = ANY(stripe_ids)`, [id])).length > 0;
    try {
      await customerUpdated('cus_poison_a');
      await customerUpdated('cus_poison_b');
      let parked: Parked[] = [];
      await eventually(
        async () => (parked = await get<Parked[]>('/admin/parked')).length === 2,
        20_000,
        'two parked events',
      );
      expect(parked.map((p) => [p.projection, p.type])).toEqual([
        ['customers', 'customer.updated'],
        ['customers', 'customer.updated'],
      ]);
      const [first, second] = parked.map((p) => page.locator(`tr[data-parked="customers/${p.position}"]`));
      await first!.waitFor();
      await second!.waitFor();
      expect(await first!.textContent()).toContain('customer rejected by the test’s broken projector');
      expect(await first!.textContent()).toContain('customer.updated');
      await waitForText(row('customers'), 'parked after 3 attempts', 'the last error');
      expect(await row('customers').getAttribute('class')).toBe('warn');
      expect(await page.getByRole('heading', { name: 'Parked events (2)' }).count()).toBe(1);

      // The payload, read on demand: what the operator checks before Retry or Skip.
      await first!.getByText('Payload').click();
      await waitForText(first!.locator('pre.json'), 'cus_poison_a', 'the payload');
      expect(await first!.locator('pre.json').textContent()).toContain('"recordedAt"');

      // Still broken: the API refuses, the page says why, the event stays parked.
      await first!.getByRole('button', { name: 'Retry' }).click();
      await waitForText(page.locator('#parked .action-feedback'), 'The event still fails in "customers"', 'the 409');
      expect(await first!.count()).toBe(1);

      // Fixed for this customer: Retry applies it, and it leaves the list.
      poisoned.delete('cus_poison_a');
      await first!.getByRole('button', { name: 'Retry' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Event ${parked[0]!.position}` })
        .waitFor();
      await first!.waitFor({ state: 'detached' });
      expect(await inReadModel('cus_poison_a')).toBe(true);

      // Skip asks first, then drops the other for good.
      await second!.getByRole('button', { name: 'Skip' }).click();
      await page.getByRole('dialog', { name: 'Skip' }).getByRole('button', { name: 'Skip the event' }).click();
      await second!.waitFor({ state: 'detached' });
      await page.getByText('No parked events').waitFor();
      expect(await get<Parked[]>('/admin/parked')).toEqual([]);
      expect(await inReadModel('cus_poison_b')).toBe(false);
      await waitForText(row('customers').locator('td').nth(3), '0', 'no parked count');
    } finally {
      restore.forEach((undo) => undo());
    }
  });

  it('rebuilds from the page: asks first, shows the progress, switches over with the rows intact', async () => {
    // Enough events for several batches, and the rebuild held after its first one.
    const store = bed.api.app.get<EventStore>(EVENT_STORE);
    const noise = Array.from({ length: 1_200 }, (_, i) => ({
      type: 'ConsoleNoiseRecorded',
      data: { i },
      metadata: { source: 'system' as const },
    }));
    await store.append('consolenoise-1', noise);
    await caughtUp();
    const dataSource = bed.api.app.get(DataSource);
    const rows = () =>
      dataSource.query(
        `SELECT id, object_type, account, data::text, deleted, last_event_id, last_event_created, last_event_position,
                events_seen FROM stripe_objects ORDER BY id`,
      );
    const before = await rows();
    expect(before.length).toBeGreaterThanOrEqual(9);
    const rebuildsBefore = await get<Rebuild[]>('/admin/rebuilds');

    // "Keep it" changes nothing.
    await row('stripe_objects').getByRole('button', { name: 'Rebuild' }).click();
    await page.getByRole('dialog', { name: 'Rebuild' }).getByRole('button', { name: 'Keep it' }).click();
    expect(await get<Rebuild[]>('/admin/rebuilds')).toEqual(rebuildsBefore);

    const held = gate();
    let shadowBatches = 0;
    const release = intercept(projectorInstances(bed, 'stripe_objects').worker, async (_events, tx) => {
      if (isLive(tx, 'stripe_objects')) return;
      shadowBatches += 1;
      if (shadowBatches > 1) await held.opened;
    });
    try {
      await row('stripe_objects').getByRole('button', { name: 'Rebuild' }).click();
      await page.getByRole('dialog', { name: 'Rebuild' }).getByRole('button', { name: 'Start rebuild' }).click();
      await page.getByRole('status').filter({ hasText: 'Rebuild of stripe_objects requested' }).waitFor();
      const bar = progressBar(page);
      // Past the first batch, held before the next: part of the way.
      await eventually(
        async () => Number((await bar.getAttribute('aria-valuenow', { timeout: 100 }).catch(() => null)) ?? 0) > 0,
        20_000,
        'the first batch rebuilt',
      );
      const head = (await projections())[0]!.headPosition;
      expect(Number(await bar.getAttribute('aria-valuemax'))).toBe(head);
      const done = Number(await bar.getAttribute('aria-valuenow'));
      expect(done).toBeLessThan(head);
      expect(await page.getByTestId('rebuild-counts').textContent()).toBe(
        `${done.toLocaleString('en')} / ${head.toLocaleString('en')} events (${Math.floor((done / head) * 100)} %)`,
      );
      // While it rebuilds, the live tables answer and the row offers to cancel instead.
      expect(await row('stripe_objects').getByRole('button', { name: 'Cancel rebuild' }).count()).toBe(1);
      await screenshot(page, 'operations');
    } finally {
      held.open();
      release();
    }
    await progressBar(page).waitFor({ state: 'detached', timeout: 30_000 });
    const [latest] = await get<Rebuild[]>('/admin/rebuilds');
    expect(latest).toMatchObject({ projection: 'stripe_objects', status: 'done' });
    await waitForText(page.locator(`tr[data-rebuild="${latest!.id}"]`), 'done', 'the rebuild listed as done');
    await waitForText(row('stripe_objects').locator('.badge'), 'running', 'the projection running');
    await waitForText(row('stripe_objects').getByTestId('lag'), 'up to date', 'no lag after the switch');
    expect(await rows()).toEqual(before);
  });

  it('cancels a rebuild in progress: the current tables stay', async () => {
    const held = gate();
    const release = intercept(projectorInstances(bed, 'stripe_objects').worker, async (_events, tx) => {
      if (!isLive(tx, 'stripe_objects')) await held.opened;
    });
    try {
      await row('stripe_objects').getByRole('button', { name: 'Rebuild' }).click();
      await page.getByRole('dialog', { name: 'Rebuild' }).getByRole('button', { name: 'Start rebuild' }).click();
      await row('stripe_objects').getByRole('button', { name: 'Cancel rebuild' }).click();
      await page
        .getByRole('dialog', { name: 'Cancel rebuild' })
        .getByRole('button', { name: 'Cancel the rebuild' })
        .click();
      await page.getByRole('status').filter({ hasText: 'Rebuild of stripe_objects cancelled' }).waitFor();
    } finally {
      held.open();
      release();
    }
    await eventually(async () => (await get<Rebuild[]>('/admin/rebuilds'))[0]!.status === 'cancelled', 20_000);
    const [latest] = await get<Rebuild[]>('/admin/rebuilds');
    await waitForText(page.locator(`tr[data-rebuild="${latest!.id}"]`), 'cancelled', 'the rebuild listed as cancelled');
    await row('stripe_objects').getByRole('button', { name: 'Rebuild' }).waitFor();
    await waitForText(row('stripe_objects').locator('.badge'), 'running', 'the projection running');
    expect(bed.pageErrors).toEqual([]);
  });
});

const progressBar = (page: Page) => page.getByRole('progressbar', { name: 'Rebuild of stripe_objects progress' });
