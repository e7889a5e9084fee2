import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type ServeProcess, startServeProcess } from './process.js';
import { jsonOf, runCli } from './run-cli.js';
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

/** A count as the dashboard shows it in en-US ("1,234.50") as a number. */
export const numberIn = (text: string | null) => Number(String(text).replace(/,/g, ''));

/** A real `chatmark serve` on a store `chatmark demo` filled, with Chromium open on it. */
export interface DemoDashboard {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  adminKey: string;
  /** What `chatmark demo --json` printed. */
  demo: Record<string, unknown>;
  /** The API with the admin key (or `key`); the response must be a 2xx. */
  api<T>(path: string, init?: { method?: string; body?: unknown; key?: string }): Promise<T>;
  close(): Promise<void>;
}

/**
 * `chatmark demo --campaigns 2` on a fresh SQLite file, then `chatmark serve` on it (with `env`
 * added) and Chromium. The demo plays through an in-process server on the file, so it runs before
 * `serve` opens it.
 */
export async function startDemoDashboard(
  name: string,
  env: Record<string, string> = {},
): Promise<DemoDashboard> {
  const dataDir = mkdtempSync(join(tmpdir(), `chatmark-${name}-`));
  const run = await runCli(['demo', '--campaigns', '2', '--json'], { env: { DATA_DIR: dataDir } });
  expect(run.code, run.stderr).toBe(0);
  const demo = jsonOf<Record<string, unknown>>(run);
  const adminKey = String(demo.adminKey);
  const serve = await startServeProcess({ DATA_DIR: dataDir, ...env });
  const { browser, page } = await openBrowser();
  return {
    serve,
    browser,
    page,
    adminKey,
    demo,
    async api<T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}) {
      const response = await fetch(`${serve.baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${init.key ?? adminKey}`,
          ...(init.body !== undefined && { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      expect(response.ok, `${path}: ${response.status}`).toBe(true);
      return (await response.json()) as T;
    },
    async close() {
      await browser.close();
      serve.child.kill('SIGTERM');
      await serve.exited;
    },
  };
}
