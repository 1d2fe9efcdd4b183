import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '@ledgerline/testing';
import { consolePages, CUSTOMER_TABS, openConsolePage, type SeededPages, seedConsolePages } from './console-pages';
import { type ConsoleTestbed, startConsoleTestbed } from './console-testbed';
import { until } from './customers-seed';

/**
 * axe-core's script, evaluated in the page: `page.addScriptTag` would add it inline, which the
 * console's Content-Security-Policy (`script-src 'self'`) rightly refuses.
 */
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core's WCAG 2.x A/AA rules (and its best practices) in the page as it is now: the serious and
 * critical violations, each with the elements it found (empty when there are none).
 */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes
          .slice(0, 5)
          .map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
}

/** The widths every page is checked at: a support desk's screen, and a phone's. */
const DESK = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 812 };

/** Sets the viewport, and waits for the frame that lays the page out at that size (resize observers run in it). */
async function resize(page: Page, size: typeof DESK): Promise<void> {
  await page.setViewportSize(size);
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/**
 * How many pixels the page as a whole scrolls sideways (0: none). A wide table may scroll inside
 * its card; the page itself must not.
 */
async function sidewaysOverflow(page: Page): Promise<number> {
  return (await page.evaluate('document.scrollingElement.scrollWidth - window.innerWidth')) as number;
}

/** What has the focus: its role or tag, its accessible text, and whether it is inside a dialog. */
async function focused(page: Page): Promise<{ tag: string; text: string; id: string; inDialog: boolean }> {
  return (await page.evaluate(`(() => {
    const element = document.activeElement;
    return {
      tag: element ? element.tagName.toLowerCase() : '',
      text: element ? (element.getAttribute('aria-label') || element.textContent || '').trim() : '',
      id: element ? element.id : '',
      inDialog: Boolean(element && element.closest('[role="dialog"]')),
    };
  })()`)) as { tag: string; text: string; id: string; inDialog: boolean };
}

describe('console: accessibility (axe-core, keyboard, a phone)', () => {
  let bed: ConsoleTestbed;
  let seeded: SeededPages;
  let page: Page;

  beforeAll(async () => {
    bed = await startConsoleTestbed();
    seeded = await seedConsolePages(bed);
    page = await bed.signedIn('admin');
  }, 240_000);
  afterAll(async () => bed?.close());

  /** Opens the dialog of the button, checks it, and closes it with its own button (Escape is tested below). */
  const withDialog = async (opener: Locator, name: string, check: (dialog: Locator) => Promise<void>) => {
    await opener.click();
    const dialog = page.getByRole('dialog', { name });
    await dialog.waitFor();
    await check(dialog);
    await dialog.getByRole('button', { name: /^(Keep it|Close)$/ }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  it('every page and dialog, at 1280 and at 375 px: no serious or critical axe violation; at 375 px none scrolls sideways', async () => {
    const found: Record<string, string[]> = {};
    const wide: Record<string, number> = {};
    let size = DESK;
    /** Checks the page as it is at the width it has, then at the other: one load serves both. */
    const check = async (name: string) => {
      for (const next of size === DESK ? [DESK, PHONE] : [PHONE, DESK]) {
        if (next !== size) await resize(page, next);
        size = next;
        const violations = await seriousViolations(page);
        if (violations.length) found[`${name} at ${next.width} px`] = violations;
        const overflow = next === PHONE ? await sidewaysOverflow(page) : 0;
        if (overflow > 0) wide[name] = overflow;
      }
    };
    try {
      for (const { name, path } of consolePages(seeded)) {
        await openConsolePage(page, path);
        await check(name);
      }

      await openConsolePage(page, `/customers/${seeded.ada}`);
      await withDialog(page.getByRole('button', { name: 'Delete', exact: true }), 'Delete', () =>
        check('delete dialog'),
      );
      await openConsolePage(page, `/customers/${seeded.grace}?tab=payments`);
      await withDialog(page.getByRole('button', { name: /^Refund / }).first(), 'Refund payment', () =>
        check('refund dialog'),
      );
      await openConsolePage(page, `/subscriptions/${seeded.subscription}`);
      await withDialog(
        page.getByRole('button', { name: 'Cancel subscription', exact: true }),
        'Cancel subscription',
        () => check('cancel dialog'),
      );
      await openConsolePage(page, '/operations');
      await withDialog(page.getByRole('button', { name: 'Rebuild' }).first(), 'Rebuild', () => check('rebuild dialog'));
    } finally {
      await resize(page, DESK);
    }

    expect(found).toEqual({});
    expect(wide).toEqual({});
    expect(bed.pageErrors).toEqual([]);
  }, 180_000);

  it('a dialog takes the focus, keeps Tab and Shift+Tab inside, closes on Escape and gives the focus back', async () => {
    const dialogs: [string, () => Promise<Locator>, string][] = [
      [`/customers/${seeded.ada}`, async () => page.getByRole('button', { name: 'Delete', exact: true }), 'Delete'],
      [
        `/customers/${seeded.grace}?tab=payments`,
        async () => page.getByRole('button', { name: /^Refund / }).first(),
        'Refund payment',
      ],
      [
        `/subscriptions/${seeded.subscription}`,
        async () => page.getByRole('button', { name: 'Cancel subscription', exact: true }),
        'Cancel subscription',
      ],
      ['/operations', async () => page.getByRole('button', { name: 'Rebuild' }).first(), 'Rebuild'],
    ];
    for (const [path, opener, name] of dialogs) {
      await openConsolePage(page, path);
      const button = await opener();
      await button.focus();
      const openerText = (await focused(page)).text;
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name });
      await dialog.waitFor();
      expect({ name, ...(await focused(page)) }).toMatchObject({ name, inDialog: true });
      for (let step = 0; step < 12; step++) {
        await page.keyboard.press('Tab');
        expect({ name, step, inDialog: (await focused(page)).inDialog }).toEqual({ name, step, inDialog: true });
      }
      for (let step = 0; step < 12; step++) {
        await page.keyboard.press('Shift+Tab');
        expect({ name, step, inDialog: (await focused(page)).inDialog }).toEqual({ name, step, inDialog: true });
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect({ name, text: (await focused(page)).text }).toEqual({ name, text: openerText });
    }
  });

  it('after a refused submit the focus goes to the first invalid field or the error summary', async () => {
    await openConsolePage(page, '/subscriptions/new');
    await page.getByRole('button', { name: 'Start subscription' }).click();
    await page.getByRole('alert').first().waitFor();
    const now = (await page.evaluate(`(() => {
      const element = document.activeElement;
      return element === document.body ? 'body' : element.getAttribute('aria-invalid') === 'true' ? 'invalid field' : element.getAttribute('role') === 'alert' ? 'summary' : element.outerHTML.slice(0, 120);
    })()`)) as string;
    expect(['invalid field', 'summary']).toContain(now);
  });

  it('"Skip to content" is the first tab stop and moves the focus to the content', async () => {
    // A page that puts the focus nowhere itself (the search page puts it in its search box).
    await openConsolePage(page, `/customers/${seeded.ada}`);
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to content');
    expect(await page.getByRole('link', { name: 'Skip to content' }).isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('content');
    // The next tab stop is in the content, not the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.getElementById("content").contains(document.activeElement)')).toBe(true);
  });

  it('tabs follow the arrow keys, Home and End, with one tab stop (roving tabindex)', async () => {
    await openConsolePage(page, `/customers/${seeded.grace}?tab=subscriptions`);
    // The router renders the newly selected tab in a transition: a moment after the key.
    const selected = (name: string) => until(() => page.getByRole('tab', { selected: true }).textContent(), name);
    await page.getByRole('tab', { name: 'Subscriptions', exact: true }).focus();
    const tabStops = await page.locator('[role="tab"]:not([tabindex="-1"])').count();
    expect(tabStops).toBe(1);
    await page.keyboard.press('ArrowRight');
    await selected('Addresses');
    expect((await focused(page)).text).toBe('Addresses');
    expect(page.url()).toContain('tab=addresses');
    await page.keyboard.press('End');
    expect((await focused(page)).text).toBe('Access');
    await selected('Access');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).text).toBe(CUSTOMER_TABS[0][1]);
    await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).text).toBe('Access');
    await page.keyboard.press('Home');
    expect((await focused(page)).text).toBe('Subscriptions');
    await selected('Subscriptions');
    // Tab leaves the tab list for the panel.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("role")')).toBe('tabpanel');
  });

  it('the as-of comparison marks the changed fields in words, not by colour alone', async () => {
    await openConsolePage(page, `/customers/${seeded.ada}/history?asOf=${encodeURIComponent(seeded.adaBefore)}`);
    const changed = page.locator('table[aria-label="Record then and now"] tr[data-changed="true"]');
    expect(await changed.count()).toBeGreaterThan(0);
    expect(await changed.first().textContent()).toMatch(/changed/i);
  });
});
