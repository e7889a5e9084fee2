import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RATE_KPIS, type RateKpi } from '../../src/domain/funnel.js';
import { ARTIFACTS, chromiumMissing, openBrowser, signIn } from '../support/browser.js';
import { startServeProcess, type ServeProcess } from '../support/process.js';
import { jsonOf, runCli } from '../support/run-cli.js';

/** The unformatted number(s) an element carries in `data-value`, or null when it carries none. */
const rawOf = async (element: Locator) =>
  (await element.getAttribute('data-value'))?.split(',').map(Number) ?? null;

const MONEY_KPIS = ['spend', 'revenue', 'cpa', 'cost_per_qualified_lead', 'roi', 'cpm'] as const;

type FunnelRow = Record<RateKpi | (typeof MONEY_KPIS)[number], number | null> & {
  currency: string | null;
  conversions: number;
  intervals: Record<RateKpi, [number, number] | null>;
};

/** Every page of the dashboard, each with what shows once it has loaded. */
const PAGES = [
  { name: 'builder', path: '/app/builder', heading: 'Link builder' },
  { name: 'links', path: '/app/links', heading: 'Links' },
  { name: 'campaigns', path: '/app/campaigns', heading: 'Campaigns' },
  { name: 'campaign', path: '/app/campaigns/1', heading: undefined },
  { name: 'attribution', path: '/app/attribution', heading: 'Attribution' },
  { name: 'experiments', path: '/app/experiments', heading: 'Experiments' },
  { name: 'experiment', path: '/app/experiments/1', heading: undefined },
  { name: 'settings', path: '/app/settings', heading: 'Settings' },
] as const;

/**
 * The campaign page's funnel in a real browser against a real `chatmark serve` seeded by
 * `chatmark demo --campaigns 2`: every rate with its 95% interval and the money KPIs as
 * GET /api/reports/funnel answers them, locale formatting, empty and error states, and every page
 * at phone width with a screenshot of each.
 */
describe('dashboard in Chromium: the campaign funnel and every page', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let adminKey: string;
  beforeEach((ctx) => {
    if (chromiumMissing) ctx.skip(chromiumMissing);
  });
  beforeAll(async () => {
    if (chromiumMissing) return;
    const dataDir = mkdtempSync(join(tmpdir(), 'chatmark-campaign-'));
    // The demo plays through an in-process server on the SQLite file: before `serve` opens it.
    const demo = await runCli(['demo', '--campaigns', '2', '--json'], { env: { DATA_DIR: dataDir } });
    expect(demo.code, demo.stderr).toBe(0);
    adminKey = jsonOf<{ adminKey: string }>(demo).adminKey;
    serve = await startServeProcess({ DATA_DIR: dataDir });
    ({ browser, page } = await openBrowser());
    await signIn(page, serve.baseUrl, adminKey);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    serve?.child.kill('SIGTERM');
    await serve?.exited;
  });

  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${serve.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    expect(response.ok, `${path}: ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };

  /** Opens a signed-in page in a fresh context (its own locale and viewport). */
  const openSignedIn = async (options: { locale?: string; width?: number } = {}) => {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      ...(options.locale && { locale: options.locale }),
    });
    const opened = await context.newPage();
    await signIn(opened, serve.baseUrl, adminKey);
    return opened;
  };

  it('shows every funnel rate with its 95% interval, and the money KPIs, as the funnel API gives them', async () => {
    const report = await api<{ rows: FunnelRow[] }>('/api/reports/funnel?campaignId=1&groupBy=campaign');
    const [row] = report.rows;
    expect(row?.currency).toBe('USD');
    if (!row) return;

    await page.goto(`${serve.baseUrl}/app/campaigns/1`);
    const rates = page.getByTestId('funnel-rates');
    await rates.waitFor({ timeout: 15_000 });
    expect(await rates.locator('tbody tr').count()).toBe(RATE_KPIS.length);

    const shown: Partial<Record<RateKpi, number | null>> = {};
    for (const kpi of RATE_KPIS) {
      const line = rates.getByTestId(`rate-${kpi}`);
      const value = line.getByTestId('value');
      const interval = line.getByTestId('interval');
      shown[kpi] = (await rawOf(value))?.[0] ?? null;
      expect(shown[kpi], kpi).toBe(row[kpi]);
      expect(await rawOf(interval), kpi).toEqual(row.intervals[kpi]);
      if (row[kpi] === null) {
        // A zero denominator: a dash and the reason in words, never 0%.
        expect(await value.textContent()).toBe('—');
        expect(await interval.textContent()).toMatch(/^— no .+: nothing to divide by$/);
      } else {
        expect(await value.textContent()).toMatch(/^\d+(\.\d+)?%$/);
        const [low, high] = row.intervals[kpi] ?? [];
        expect(low).toBeLessThanOrEqual(row[kpi] ?? NaN);
        expect(high).toBeGreaterThanOrEqual(row[kpi] ?? NaN);
        expect(await interval.textContent()).toMatch(/^\d+(\.\d+)?% – \d+(\.\d+)?%$/);
      }
    }
    // The demo's links are chat links, which skip a landing page: the chat start rate has no
    // denominator, while clicks, chats, qualified leads and purchases give the other rates.
    expect(shown.chat_start_rate).toBeNull();
    expect(RATE_KPIS.filter((kpi) => shown[kpi] !== null)).toEqual([
      'ctr',
      'click_to_message_rate',
      'qualification_rate',
      'conversion_rate',
    ]);

    for (const kpi of MONEY_KPIS) {
      expect(await rawOf(page.getByTestId(`${kpi}-USD`)), kpi).toEqual(row[kpi] === null ? null : [row[kpi]]);
    }
    expect(row.cost_per_qualified_lead).toBeGreaterThan(0);
    expect(await rawOf(page.getByTestId('conversions'))).toEqual([row.conversions]);
    await page.getByTestId('funnel-rates').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-rates.png'), fullPage: true });
  }, 60_000);

  it("formats rates, intervals and money in the reader's locale, with the currency", async () => {
    const report = await api<{ rows: FunnelRow[] }>('/api/reports/funnel?campaignId=1&groupBy=campaign');
    const spend = report.rows[0]?.spend ?? NaN;
    const german = await openSignedIn({ locale: 'de-DE' });
    try {
      await german.goto(`${serve.baseUrl}/app/campaigns/1`);
      const spendTile = german.getByTestId('spend-USD');
      await spendTile.waitFor({ timeout: 15_000 });
      // What de-DE writes for this amount in dollars (asked of the browser's own Intl).
      const expected = await german.evaluate<string>(
        `new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(${spend / 100})`,
      );
      expect(expected).toMatch(/^[\d.]+,\d\d\s\$$/);
      expect(await spendTile.locator('.tile-value').textContent()).toBe(expected);
      // A decimal comma and a space before the percent sign, in the value and both ends of the range.
      const conversion = german.getByTestId('rate-conversion_rate');
      expect(await conversion.getByTestId('value').textContent()).toMatch(/^\d+,\d\s%$/);
      expect(await conversion.getByTestId('interval').textContent()).toMatch(/^\d+,\d\s?–\s?\d+,\d\s%$/);
      await german.screenshot({ path: join(ARTIFACTS, 'campaign-de.png'), fullPage: true });
    } finally {
      await german.context().close();
    }
  }, 60_000);

  it('says in words when a campaign has nothing yet, and when it does not exist', async () => {
    const empty = await api<{ id: number }>('/api/campaigns', {
      method: 'POST',
      body: { name: 'Nothing yet', owner: 'browser test' },
    });
    await page.goto(`${serve.baseUrl}/app/campaigns/${empty.id}`);
    await page.getByRole('heading', { name: 'Nothing yet', level: 1 }).waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByText('No clicks, chats or conversions in this period.').count(), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('funnel-rates').count()).toBe(0);
    await page.getByText('This campaign has no links yet.').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-empty.png'), fullPage: true });

    await page.goto(`${serve.baseUrl}/app/campaigns/999999`);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('There is no such campaign');
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-missing.png'), fullPage: true });
  }, 60_000);

  it('fits a 390 px phone on every page, and screenshots each page on a desktop and a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // How far the page is wider than the viewport (an expression: this file has no DOM types).
    const overflow = (on: Page) =>
      on.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    /** Opens a page and waits until it has loaded: its heading shows and nothing says "Loading". */
    const open = async (on: Page, { path, heading }: (typeof PAGES)[number]) => {
      await on.goto(`${serve.baseUrl}${path}`);
      await on
        .getByRole('heading', { level: 1, ...(heading && { name: heading }) })
        .waitFor({ timeout: 15_000 });
      await expect.poll(() => on.locator('.state-loading').count(), { timeout: 15_000 }).toBe(0);
    };
    try {
      await phone.goto(`${serve.baseUrl}/`);
      await phone.getByLabel('API key').waitFor();
      expect(await overflow(phone)).toBe(0);
      await phone.screenshot({ path: join(ARTIFACTS, 'signin-phone.png'), fullPage: true });
      await signIn(phone, serve.baseUrl, adminKey);
      for (const p of PAGES) {
        await open(phone, p);
        expect(await overflow(phone), p.path).toBe(0);
        await phone.screenshot({ path: join(ARTIFACTS, `page-${p.name}-phone.png`), fullPage: true });
        await open(page, p);
        await page.screenshot({ path: join(ARTIFACTS, `page-${p.name}.png`), fullPage: true });
      }
    } finally {
      await phone.close();
    }
  }, 120_000);
});
