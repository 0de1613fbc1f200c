import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the screenshots of every view go (test artifacts, ignored by git). */
export const viewShotDir = resolve(import.meta.dirname, '../../../test-results/screenshots');

/** The two widths every view is looked at: a phone and a desktop window. */
export const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

/**
 * Screenshots `page` as it is now at each width, `<view>-<scheme>-<phone|desktop>.png`, after
 * giving charts a moment to follow the resize; returns how wide the document was at each, so
 * a test can assert that nothing overflows a phone.
 */
export async function shootAtWidths(page: Page, view: string, scheme: 'light' | 'dark'): Promise<Record<string, number>> {
  mkdirSync(viewShotDir, { recursive: true });
  const widths: Record<string, number> = {};
  for (const viewport of viewports) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    // chart.js redraws on ResizeObserver callbacks; two frames and a short pause let it settle.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.waitForTimeout(250);
    widths[viewport.name] = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: join(viewShotDir, `${view}-${scheme}-${viewport.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return widths;
}
