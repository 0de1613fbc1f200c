import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (the build machines cannot download Playwright's own). */
const executablePath = '/usr/bin/chromium';

const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Where screenshots go (ignored by git). */
export const screenshotDir = resolve(import.meta.dirname, '../../../test-results/e2e');

export interface TestBrowser {
  context: BrowserContext;
  /** A new page whose console errors and failed requests are collected. */
  newPage(): Promise<{ page: Page; problems: string[] }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, removed on close. */
export async function launchBrowser(options: { colorScheme?: 'light' | 'dark'; timezoneId?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'task-status-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args,
    viewport: { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: options.timezoneId ?? 'Europe/Berlin',
    locale: 'en-GB',
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => {
        // An event stream cut by the page's own navigation or close is not a failure.
        if (!request.url().endsWith('/api/events')) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
      });
      return { page, problems };
    },
    async screenshot(page, name) {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
