/**
 * Not a test: writes a screenshot of every console page, at 375 px (a phone) and at 1280 px, into
 * docs/screenshots/375/ and docs/screenshots/1280/ (the viewport, not the whole page, to keep the
 * files small), and a few with a dialog open. `npm run console:screenshots` runs it through Jest
 * (its global setup starts the test database), on the same testbed as the console's tests; Jest's
 * usual pattern (`*.spec.ts`) leaves it out of `npm test`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ROOT } from '@ledgerline/testing';
import { consolePages, openConsolePage, type SeededPages, seedConsolePages } from './console-pages';
import { type ConsoleTestbed, startConsoleTestbed } from './console-testbed';

const WIDTHS = [
  [375, 812],
  [1280, 860],
] as const;

describe('console screenshots', () => {
  let bed: ConsoleTestbed;
  let seeded: SeededPages;
  let page: Page;

  beforeAll(async () => {
    bed = await startConsoleTestbed();
    seeded = await seedConsolePages(bed);
    page = await bed.signedIn('admin');
  }, 240_000);
  afterAll(async () => bed?.close());

  it('writes docs/screenshots/<width>/<page>.png', async () => {
    for (const [width, height] of WIDTHS) {
      const directory = join(ROOT, 'docs', 'screenshots', String(width));
      mkdirSync(directory, { recursive: true });
      await page.setViewportSize({ width, height });
      const shoot = (name: string) => page.screenshot({ path: join(directory, `${name}.png`) });
      for (const { name, path } of consolePages(seeded)) {
        await openConsolePage(page, path);
        await shoot(name);
      }
      await openConsolePage(page, `/customers/${seeded.grace}?tab=payments`);
      await page
        .getByRole('button', { name: /^Refund / })
        .first()
        .click();
      await page.getByRole('dialog', { name: 'Refund payment' }).waitFor();
      await shoot('dialog-refund');
      await page.keyboard.press('Escape');
      await openConsolePage(page, `/subscriptions/${seeded.subscription}`);
      await page.getByRole('button', { name: 'Cancel subscription', exact: true }).click();
      await page.getByRole('dialog', { name: 'Cancel subscription' }).waitFor();
      await shoot('dialog-cancel-subscription');
      await page.keyboard.press('Escape');
    }
  }, 300_000);
});
