import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CI } from './services.js';

const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests put their screenshots (a test artifact, not committed). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** Why the browser tests are skipped here, or null when Debian's Chromium is installed. */
export const chromiumMissing = existsSync(CHROMIUM)
  ? null
  : `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;
if (chromiumMissing && CI) throw new Error(`CI=true requires the browser tests: ${chromiumMissing}`);

/**
 * Debian's Chromium driven by playwright-core (no browser download), with the flags this machine
 * needs (its closed network refuses Chromium's background connections), and one desktop page.
 */
export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return { browser, page: await browser.newPage({ viewport: { width: 1280, height: 900 } }) };
}

/** Signs in to the dashboard at `baseUrl` with an API key and waits for the link builder. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/app\/builder/);
  // The URL is /app/builder even before the key is checked (the sign-in form shows on every path):
  // signed in is when the session is stored and the frame with "Sign out" shows.
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
