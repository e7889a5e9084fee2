import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RATE_KPIS, type RateKpi } from '../../src/domain/funnel.js';
import {
  ARTIFACTS,
  chromiumMissing,
  type DemoDashboard,
  signIn,
  startDemoDashboard,
} from '../support/browser.js';
import type { ServeProcess } from '../support/process.js';

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
  let dashboard: DemoDashboard | undefined;
  let api: DemoDashboard['api'];
  beforeEach((ctx) => {
    if (chromiumMissing) ctx.skip(chromiumMissing);
  });
  beforeAll(async () => {
    if (chromiumMissing) return;
    dashboard = await startDemoDashboard('campaign');
    ({ serve, browser, page, adminKey, api } = dashboard);
    await signIn(page, serve.baseUrl, adminKey);
  }, 90_000);
  afterAll(async () => {
    await dashboard?.close();
  });

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

  /** The funnel chart's stages, the counts on its bars and each bar's drawn width, in order. */
  const funnelChart = async (on: Page) => {
    const chart = on.getByTestId('funnel-chart');
    await chart.locator('.recharts-label-list text').first().waitFor({ timeout: 15_000 });
    return {
      label: await chart.getAttribute('aria-label'),
      stages: await chart
        .locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')
        .allTextContents(),
      counts: await chart.locator('.recharts-label-list text').allTextContents(),
      widths: await chart
        .locator('.recharts-bar-rectangle')
        .evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width)),
      html: await chart.innerHTML(),
    };
  };
  const en = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);

  it('draws reach → clicks → chats → qualified → converted on a log axis with every bar readable, and asks for each report once', async () => {
    type Counts = Record<'reach' | 'link_clicks' | 'chats_started' | 'qualified' | 'conversions', number>;
    const [row] = (await api<{ rows: Counts[] }>('/api/reports/funnel?campaignId=1&groupBy=campaign')).rows;
    expect(row).toBeDefined();
    if (!row) return;
    const counts = [row.reach, row.link_clicks, row.chats_started, row.qualified, row.conversions];
    // Why a linear axis would not do: reach dwarfs the clicks, and the conversions would be a
    // bar under 1% of the reach bar's length.
    expect(row.reach).toBeGreaterThan(50 * row.link_clicks);
    expect(row.conversions / row.reach).toBeLessThan(0.01);

    const groupings: (string | null)[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/reports/funnel') groupings.push(url.searchParams.get('groupBy'));
    });
    await page.goto(`${serve.baseUrl}/app/campaigns/1`);
    const chart = await funnelChart(page);
    expect(chart.stages).toEqual(['Reach', 'Clicks', 'Chats', 'Qualified', 'Converted']);
    expect(chart.counts).toEqual(counts.map(en));
    expect(chart.label).toBe(
      `Funnel: reach ${en(row.reach)}, clicks ${en(row.link_clicks)}, chats ${en(row.chats_started)}, ` +
        `qualified ${en(row.qualified)}, converted ${en(row.conversions)} (logarithmic scale)`,
    );
    // Every bar is drawn, longer for a larger count, and its length is the count's order of
    // magnitude: log10(count) + 1 decades from the origin, as on the axis.
    expect(chart.widths).toHaveLength(counts.length);
    const [reachWidth = NaN] = chart.widths;
    counts.forEach((count, i) => {
      const width = chart.widths[i] ?? NaN;
      expect(width / reachWidth, `bar ${i}`).toBeCloseTo(
        (Math.log10(count) + 1) / (Math.log10(row.reach) + 1),
        1,
      );
      if (i > 0) expect(width, `bar ${i}`).toBeLessThanOrEqual(chart.widths[i - 1] ?? NaN);
      // Readable: at least a sixth of the reach bar (linear: under 1% for the conversions).
      expect(width, `bar ${i}`).toBeGreaterThan(reachWidth / 6);
    });
    expect(chart.html).not.toContain('NaN');

    // The day rows feed both the funnel's day table and the chats chart: one request for both.
    await expect.poll(() => page.locator('.state-loading').count(), { timeout: 15_000 }).toBe(0);
    await page.getByRole('img', { name: 'Chats started per day' }).waitFor();
    await page.locator('summary', { hasText: 'Per day' }).waitFor();
    expect(groupings.sort()).toEqual(['campaign', 'channel', 'day']);
    await page.getByTestId('funnel-chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-funnel-chart.png') });
  }, 60_000);

  it('draws a zero count as no bar with its 0, never breaking the log axis', async () => {
    const campaign = await api<{ id: number }>('/api/campaigns', {
      method: 'POST',
      body: { name: 'One click', owner: 'browser test' },
    });
    const link = await api<{ code: string }>('/api/links', {
      method: 'POST',
      body: { campaignId: campaign.id, channel: 'whatsapp', target: { phone: '+15550783881' } },
    });
    const followed = await fetch(`${serve.baseUrl}/${link.code}`, {
      redirect: 'manual',
      headers: {
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      },
    });
    expect(followed.status).toBe(302);
    const [row] = (
      await api<{ rows: { reach: number; link_clicks: number; chats_started: number }[] }>(
        `/api/reports/funnel?campaignId=${campaign.id}&groupBy=campaign`,
      )
    ).rows;
    // No cost rows: no reach; one human click and nothing after it.
    expect(row).toMatchObject({ reach: 0, link_clicks: 1, chats_started: 0 });

    await page.goto(`${serve.baseUrl}/app/campaigns/${campaign.id}`);
    const chart = await funnelChart(page);
    expect(chart.stages).toEqual(['Reach', 'Clicks', 'Chats', 'Qualified', 'Converted']);
    expect(chart.counts).toEqual(['0', '1', '0', '0', '0']);
    // Only the click has a bar, and it is one decade long: plainly visible.
    expect(chart.widths.filter((w) => w > 0)).toHaveLength(1);
    expect(Math.max(...chart.widths)).toBeGreaterThan(50);
    expect(chart.html).not.toMatch(/NaN|Infinity/);
    await page.getByTestId('funnel-chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-funnel-zero.png') });
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
