import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  chromiumMissing,
  type DemoDashboard,
  numberIn,
  signIn,
  startDemoDashboard,
} from '../support/browser.js';
import type { ServeProcess } from '../support/process.js';

/** Two of the webhook settings, with values that would be easy to spot on a page. */
const SET = {
  TELEGRAM_WEBHOOK_SECRET: 'tg-browser-secret-4c1d9e',
  WHATSAPP_APP_SECRET: 'wa-browser-secret-8b27f0',
} as const;

interface Link {
  id: number;
  code: string;
  createdAt: string;
}

interface FunnelRow {
  key: string;
  link_clicks: number;
  chats_started: number;
  conversions: number;
}

/**
 * The links table's chats and conversions (one funnel report grouped by link) and the settings
 * page's webhook status, in a real browser against a real `chatmark serve` seeded by
 * `chatmark demo --campaigns 2` and started with two webhook secrets set.
 */
describe('dashboard in Chromium: links and webhook settings', () => {
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
    dashboard = await startDemoDashboard('links', SET);
    ({ serve, browser, page, adminKey, api } = dashboard);
    await signIn(page, serve.baseUrl, adminKey);
  }, 90_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  /** The funnel report requests `on` makes from now on, as parsed URLs. */
  const funnelRequests = (on: Page) => {
    const seen: URL[] = [];
    on.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/reports/funnel') seen.push(url);
    });
    return seen;
  };

  /**
   * Opens the links page (`open`, showing one campaign's or all) and checks each row's clicks,
   * chats and conversions against the API over the period the page states: since its first link
   * was made.
   */
  async function checkLinksPage(open: () => Promise<unknown>, campaignId?: number) {
    const requests = funnelRequests(page);
    const links = (await api<{ links: Link[] }>(`/api/links${campaignId ? `?campaignId=${campaignId}` : ''}`))
      .links;
    expect(links.length).toBeGreaterThan(0);
    const from = new Date(Math.min(...links.map((l) => Date.parse(l.createdAt)))).toISOString();

    await open();
    const rows = page.locator('[data-testid^="link-row-"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(links.length);
    // Every count has arrived: no cell still says "…".
    await expect
      .poll(() => page.getByTestId('links-table').locator('td.num .muted').count(), { timeout: 15_000 })
      .toBe(0);

    // One report for the whole table, grouped by link, from the first link's creation.
    expect(requests.map((u) => u.searchParams.get('groupBy'))).toEqual(['link']);
    const [request] = requests;
    expect(request?.searchParams.get('from')).toBe(from);
    expect(request?.searchParams.get('campaignId')).toBe(
      campaignId === undefined ? null : String(campaignId),
    );

    const report = await api<{ rows: FunnelRow[]; parameters: { from: string } }>(
      `/api/reports/funnel?groupBy=link&from=${encodeURIComponent(from)}${campaignId ? `&campaignId=${campaignId}` : ''}`,
    );
    expect(report.parameters.from).toBe(from);
    const byCode = new Map(report.rows.map((r) => [r.key, r]));
    let chats = 0;
    for (const link of links) {
      const row = page.getByTestId(`link-row-${link.code}`);
      const expected = byCode.get(link.code);
      const cell = async (label: string) =>
        numberIn(await row.locator(`td[data-label="${label}"]`).textContent());
      expect(await cell('Chats'), link.code).toBe(expected?.chats_started ?? 0);
      expect(await cell('Conversions'), link.code).toBe(expected?.conversions ?? 0);
      // The human clicks (from the link's stats) are the report's: both cover the same period.
      expect(await cell('Humans'), link.code).toBe(expected?.link_clicks ?? 0);
      chats += await cell('Chats');
    }
    // The demo's chats arrive through the webhooks on its links.
    expect(chats).toBeGreaterThan(0);
    expect(
      await page.locator('.hint', { hasText: 'when the first of these links was made' }).textContent(),
    ).toMatch(/conversions \(purchase\) credited to each link by last touch attribution/);
  }

  it('shows chats started and conversions per link from one funnel report over the clicks’ period', async () => {
    await checkLinksPage(() => page.goto(`${serve.baseUrl}/app/links`));
    await page.screenshot({ path: join(ARTIFACTS, 'links-chats.png'), fullPage: true });
    // Choosing a campaign reloads the list, then asks for that campaign's report once.
    await checkLinksPage(() => page.getByLabel('Campaign').selectOption('1'), 1);
    expect(new URL(page.url()).search).toBe('?campaign=1');
  }, 60_000);

  it('shows an admin which webhook secrets are set, never their values, and other keys nothing', async () => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const { webhooks } = await api<{
      webhooks: { platform: string; url: string; configured: boolean; settings: { variable: string }[] }[];
    }>('/api/settings/webhooks');
    await page.goto(`${serve.baseUrl}/app/settings`);
    const table = page.getByTestId('webhooks');
    await table.waitFor({ timeout: 15_000 });
    expect(await table.locator('tbody tr').count()).toBe(webhooks.length);
    for (const w of webhooks) {
      const row = page.getByTestId(`webhook-${w.platform}`);
      expect(await row.locator('.mono').textContent()).toBe(w.url);
      expect(await row.getByTestId('status').getAttribute('data-configured')).toBe(String(w.configured));
    }
    // Telegram has its one required secret; WhatsApp has one of its two, and names the other.
    const status = (platform: string) => page.getByTestId(`webhook-${platform}`).getByTestId('status');
    expect(await status('telegram').textContent()).toBe('✓ Configured');
    expect(await status('whatsapp').textContent()).toBe('Not configured: set WHATSAPP_VERIFY_TOKEN');
    expect(await status('meta').textContent()).toBe(
      'Not configured: set META_APP_SECRET and META_VERIFY_TOKEN',
    );
    expect(webhooks.find((w) => w.platform === 'telegram')?.url).toBe(`${serve.baseUrl}/webhooks/telegram`);
    const setting = (variable: string) => page.locator(`li[data-variable="${variable}"]`);
    expect(await setting('WHATSAPP_APP_SECRET').getAttribute('data-configured')).toBe('true');
    expect(await setting('WHATSAPP_VERIFY_TOKEN').getAttribute('data-configured')).toBe('false');
    expect(await setting('TELEGRAM_BOT_USERNAME').textContent()).toContain('not set (optional)');
    const html = await page.content();
    for (const value of Object.values(SET)) expect(html).not.toContain(value);
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'settings-webhooks.png'), fullPage: true });

    // A viewer sees neither the table nor asks for it.
    const { secret } = await api<{ secret: string }>('/api/keys', {
      method: 'POST',
      body: { name: 'browser viewer', role: 'viewer' },
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const viewer = await context.newPage();
      const asked: string[] = [];
      viewer.on('request', (r) => asked.push(new URL(r.url()).pathname));
      await signIn(viewer, serve.baseUrl, secret);
      await viewer.goto(`${serve.baseUrl}/app/settings`);
      await viewer.getByText('Only an admin key can see the webhook addresses').waitFor({ timeout: 15_000 });
      expect(await viewer.getByTestId('webhooks').count()).toBe(0);
      expect(asked).not.toContain('/api/settings/webhooks');
    } finally {
      await context.close();
    }
    expect(requests).toContain('/api/settings/webhooks');
  }, 60_000);
});
