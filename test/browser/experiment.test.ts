import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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

/** The unformatted number(s) a tile carries in `data-value` (the CI is two, comma-joined). */
const rawOf = async (tile: Locator) => (await tile.getAttribute('data-value'))?.split(',').map(Number);

interface Arm {
  n: number;
  x: number;
}

/**
 * spec/metrics.md §3 "Proportions": the relative lift Δ = (μ_T − μ_C)/|μ_C|, its delta-method
 * standard error and the Welch–Satterthwaite degrees of freedom, with σ² = μ(1−μ).
 */
function lift(c: Arm, t: Arm) {
  const muC = c.x / c.n;
  const muT = t.x / t.n;
  const varC = muC * (1 - muC);
  const varT = muT * (1 - muT);
  const delta = (muT - muC) / Math.abs(muC);
  const se = Math.sqrt(varT / (muC ** 2 * t.n) + (varC * muT ** 2) / (muC ** 4 * c.n));
  const nu =
    (varT / t.n + varC / c.n) ** 2 /
    (varT ** 2 / (t.n ** 2 * (t.n - 1)) + varC ** 2 / (c.n ** 2 * (c.n - 1)));
  return { delta, se, nu };
}

interface Results {
  experiment: { id: number; name: string };
  verdict: string;
  reason: string;
  relativeChange: number | null;
  ci: [number, number] | null;
  pValue: number | null;
  zTest: { pValue: number | null };
  srm?: { pValue: number | null };
  minimumSample: number | null;
  arms: Record<'baseline' | 'variant', { link_clicks: number; chats_started: number; rate: number | null }>;
}

/**
 * The experiment page and the campaign's breakdown, baseline and reviews in a real browser
 * against a real `chatmark serve` seeded by `chatmark demo --campaigns 2` (which stores an A/B
 * experiment per campaign, and a baseline and a day-3 review note for the first).
 */
describe('dashboard in Chromium: experiments, breakdown and reviews', () => {
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
    dashboard = await startDemoDashboard('experiment');
    expect(dashboard.demo).toMatchObject({ experiments: 2, baselines: 1 });
    ({ serve, browser, page, adminKey, api } = dashboard);
    await signIn(page, serve.baseUrl, adminKey);
  }, 90_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  /** The stateless compare form (the page also has the new-experiment form, with its own fields). */
  const compareForm = (on: Page) => on.getByRole('form', { name: 'Compare a baseline and a variant' });

  const fillArms = async (on: Page, baseline: Arm, variant: Arm, split?: [number, number]) => {
    const form = compareForm(on);
    await form.getByLabel('Baseline units', { exact: true }).fill(String(baseline.n));
    await form.getByLabel('Baseline successes', { exact: true }).fill(String(baseline.x));
    await form.getByLabel('Variant units', { exact: true }).fill(String(variant.n));
    await form.getByLabel('Variant successes', { exact: true }).fill(String(variant.x));
    await form.getByLabel('Baseline share', { exact: true }).fill(split ? String(split[0]) : '');
    await form.getByLabel('Variant share', { exact: true }).fill(split ? String(split[1]) : '');
    await form.getByRole('button', { name: 'Compare', exact: true }).click();
  };

  it('compares typed-in numbers: the verdict and the p-values of spec/metrics.md §3', async () => {
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.waitForURL(/\/app\/experiments$/);
    const result = page.getByRole('region', { name: 'Comparison result' });
    const verdictOf = () => result.getByTestId('verdict').getAttribute('data-verdict');

    // §3's pooled z-test vector: 5/83 vs 12/99 → z = ±1.4078304151, p = 0.1591812918. Verdict rule 2:
    // the larger arm has 12 conversions, fewer than the default minimum of 150 → hold (no split given,
    // so rule 1 does not apply).
    await fillArms(page, { n: 83, x: 5 }, { n: 99, x: 12 });
    await expect.poll(() => result.getByTestId('z-test-p').count(), { timeout: 10_000 }).toBe(1);
    expect(await verdictOf()).toBe('hold');
    expect((await rawOf(result.getByTestId('z-test-p')))?.[0]).toBeCloseTo(0.1591812918, 9);
    expect(await result.getByTestId('z-test-p').locator('.tile-value').textContent()).toBe('p = 0.1592');
    expect(await result.getByTestId('reason').textContent()).toMatch(/^Not enough data: 12 conversions/);
    expect(await result.getByTestId('srm').locator('.tile-value').textContent()).toBe('Not checked');
    await page.screenshot({ path: join(ARTIFACTS, 'experiment-compare-hold.png'), fullPage: true });

    // §3's sample-ratio vector: [1000, 1200] units at a planned 50/50 → χ² p = 0.000020079 < 0.001,
    // so rule 1 holds whatever the rates say.
    await fillArms(page, { n: 1000, x: 200 }, { n: 1200, x: 300 }, [50, 50]);
    await expect
      .poll(() => result.getByTestId('srm').locator('.tile-value').textContent(), { timeout: 10_000 })
      .toBe('Mismatch');
    expect(await verdictOf()).toBe('hold');
    expect((await rawOf(result.getByTestId('srm')))?.[0]).toBeCloseTo(0.000020079, 8);
    expect(await result.getByTestId('reason').textContent()).toMatch(/^Sample ratio mismatch/);

    // 200/2000 vs 260/2000: no split (rule 1 off), 260 ≥ 150 conversions (rule 2 passes), and by the
    // §3 formulas Δ = +30% with SE ≈ 0.115 and ν in the thousands, where t₀.₉₇₅ < 1.98: the CI lower
    // bound Δ − t·SE is above 0 (rule 4) → ship.
    const baseline = { n: 2000, x: 200 };
    const variant = { n: 2000, x: 260 };
    const { delta, se, nu } = lift(baseline, variant);
    expect(nu).toBeGreaterThan(1000);
    expect(delta - 1.98 * se).toBeGreaterThan(0);
    await fillArms(page, baseline, variant);
    await expect.poll(verdictOf, { timeout: 10_000 }).toBe('ship');
    expect((await rawOf(result.getByTestId('relative-change')))?.[0]).toBeCloseTo(delta, 12);
    expect(await result.getByTestId('relative-change').locator('.tile-value').textContent()).toBe('+30.00%');
    const [low, high] = (await rawOf(result.getByTestId('ci'))) ?? [];
    expect(low).toBeCloseTo(delta - 1.96 * se, 3);
    expect(high).toBeCloseTo(delta + 1.96 * se, 3);
    // The p-value shown is the API's: the same request straight to POST /api/experiments/compare.
    const answer = await api<{ pValue: number }>('/api/experiments/compare', {
      method: 'POST',
      body: { baseline, variant },
    });
    expect((await rawOf(result.getByTestId('p-value')))?.[0]).toBe(answer.pValue);
    expect(answer.pValue).toBeLessThan(0.05);
    expect(await result.getByTestId('p-value').locator('.tile-value').textContent()).toBe(
      answer.pValue.toFixed(4),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'experiment-compare-ship.png'), fullPage: true });

    // Two plain values (§3's first vector): 19,000 → 19,760 is +4.00%, and with no interval, no verdict.
    const form = compareForm(page);
    await form.getByRole('radio', { name: 'Plain values' }).check();
    await form.getByLabel('Baseline value', { exact: true }).fill('19000');
    await form.getByLabel('Variant value', { exact: true }).fill('19760');
    await form.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect
      .poll(() => result.getByTestId('relative-change').locator('.tile-value').textContent(), {
        timeout: 10_000,
      })
      .toBe('+4.00%');
    expect(await verdictOf()).toBe('');
    expect(await result.getByTestId('verdict').locator('.verdict-name').textContent()).toBe('No verdict');
  }, 60_000);

  it("shows the demo's stored experiment with the verdict and numbers the API gives for it", async () => {
    await page.goto(`${serve.baseUrl}/app/experiments`);
    await page.getByRole('link', { name: 'Prefilled text a vs b' }).click();
    await page.waitForURL(/\/app\/experiments\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const result = page.getByRole('region', { name: 'Result', exact: true });
    await result.getByTestId('verdict').waitFor({ timeout: 15_000 });

    const expected = await api<Results>(`/api/experiments/${id}/results`);
    expect(expected.experiment.name).toBe('Prefilled text a vs b');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(expected.experiment.name);
    expect(await result.getByTestId('verdict').getAttribute('data-verdict')).toBe(expected.verdict);
    // The reason in words is the server's, without the verdict it starts with (named beside it).
    const reason = expected.reason.replace(/^(Hold|Ship|Roll back): /, '');
    expect((await result.getByTestId('reason').textContent())?.toLowerCase()).toBe(reason.toLowerCase());
    expect(await rawOf(result.getByTestId('relative-change'))).toEqual([expected.relativeChange]);
    expect(await rawOf(result.getByTestId('ci'))).toEqual(expected.ci);
    expect(await rawOf(result.getByTestId('p-value'))).toEqual([expected.pValue]);
    expect(await rawOf(result.getByTestId('z-test-p'))).toEqual([expected.zTest.pValue]);
    // The demo planned a 50/50 split, so the sample-ratio check ran.
    expect(expected.srm).toBeDefined();
    expect(await rawOf(result.getByTestId('srm'))).toEqual([expected.srm?.pValue]);
    expect(await rawOf(result.getByTestId('minimum-sample'))).toEqual([expected.minimumSample]);
    for (const arm of ['baseline', 'variant'] as const) {
      const row = page.getByTestId(`arm-${arm}`);
      expect(numberIn(await row.getByTestId('arm-clicks').textContent())).toBe(
        expected.arms[arm].link_clicks,
      );
      expect(numberIn(await row.getByTestId('arm-chats').textContent())).toBe(
        expected.arms[arm].chats_started,
      );
      expect(expected.arms[arm].link_clicks).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'experiment-stored.png'), fullPage: true });
  }, 60_000);

  it('campaign page: the breakdown by variant has the funnel report’s clicks; baseline and day 3/7/14 reviews', async () => {
    await page.goto(`${serve.baseUrl}/app/campaigns/1`);
    await page.getByRole('radio', { name: 'Variant' }).check();
    const table = page.getByTestId('breakdown-variant');
    await table.waitFor({ timeout: 15_000 });

    const report = await api<{ rows: { key: string; link_clicks: number; chats_started: number }[] }>(
      '/api/reports/funnel?campaignId=1&groupBy=variant',
    );
    const keys = [...new Set(report.rows.map((r) => r.key))].sort();
    expect(keys).toEqual(['a', 'b']);
    expect(await table.locator('tbody tr').count()).toBe(keys.length);
    for (const row of report.rows) {
      const shown = table.getByTestId(`breakdown-row-${row.key}`);
      expect(row.link_clicks).toBeGreaterThan(0);
      expect(numberIn(await shown.getByTestId('clicks').textContent())).toBe(row.link_clicks);
      expect(numberIn(await shown.getByTestId('chats').textContent())).toBe(row.chats_started);
    }

    // The demo took a baseline at the paid push's launch and noted the day-3 health check.
    await page.getByTestId('baseline-taken').waitFor({ timeout: 15_000 });
    const reviews = await api<{ reviews: { day: number; verdict: string | null; notes: string | null }[] }>(
      '/api/campaigns/1/reviews',
    );
    expect(reviews.reviews.map((r) => r.day)).toEqual([3, 7, 14]);
    for (const review of reviews.reviews) {
      const card = page.getByTestId(`review-${review.day}`);
      await card.waitFor({ timeout: 15_000 });
      expect(await card.getByRole('heading').textContent()).toMatch(new RegExp(`^Day ${review.day}\\b`));
      // All three are due on a 30-day demo launched on day 10, with a verdict against the baseline.
      expect(review.verdict).not.toBeNull();
      expect(await card.getByTestId('verdict').getAttribute('data-verdict')).toBe(review.verdict);
      expect(await card.getByTestId('notes').inputValue()).toBe(review.notes ?? '');
    }
    expect(reviews.reviews[0]?.notes).toMatch(/^Health check/);
    await page.getByRole('link', { name: 'Its experiments' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-breakdown-reviews.png'), fullPage: true });
  }, 60_000);

  it('shows a viewer key no write controls', async () => {
    const { secret } = await api<{ secret: string }>('/api/keys', {
      method: 'POST',
      body: { name: 'browser viewer', role: 'viewer' },
    });
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(viewer, serve.baseUrl, secret);
      await viewer.goto(`${serve.baseUrl}/app/experiments`);
      await viewer.getByRole('link', { name: 'Prefilled text a vs b' }).waitFor({ timeout: 15_000 });
      expect(await viewer.getByText('New experiment').count()).toBe(0);
      await viewer.goto(`${serve.baseUrl}/app/campaigns/1`);
      await viewer.getByTestId('review-3').getByTestId('notes').waitFor({ timeout: 15_000 });
      expect(await viewer.getByRole('button', { name: /baseline/i }).count()).toBe(0);
      expect(await viewer.locator('textarea').count()).toBe(0);
      expect(await viewer.getByTestId('review-3').getByTestId('notes').textContent()).toContain(
        'Health check',
      );
    } finally {
      await viewer.close();
    }
  }, 60_000);

  it('defines an experiment on a campaign and opens its results', async () => {
    await page.goto(`${serve.baseUrl}/app/experiments?campaign=2`);
    await page.getByText('New experiment').click();
    const form = page.getByRole('form', { name: 'New experiment' });
    await form.getByRole('button', { name: 'Create experiment' }).click();
    await expect
      .poll(() => form.locator('.field-error').first().textContent(), { timeout: 10_000 })
      .toBe('Give the experiment a name.');

    await form.getByLabel('Experiment name').fill('Reel: purchases per chat');
    await form.getByLabel('Decision metric').selectOption('conversion_rate');
    await form.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForURL(/\/app\/experiments\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page
      .getByRole('region', { name: 'Result', exact: true })
      .getByTestId('verdict')
      .waitFor({ timeout: 15_000 });

    // The links labelled a and b started in the baseline and the variant.
    const { experiments } = await api<{
      experiments: { id: number; name: string; baselineLinkIds: number[]; variantLinkIds: number[] }[];
    }>('/api/campaigns/2/experiments');
    const links = await api<{ links: { id: number; variant: string | null }[] }>('/api/links?campaignId=2');
    const created = experiments.find((e) => e.id === id);
    expect(created?.name).toBe('Reel: purchases per chat');
    expect(created?.baselineLinkIds).toEqual(links.links.filter((l) => l.variant === 'a').map((l) => l.id));
    expect(created?.variantLinkIds).toEqual(links.links.filter((l) => l.variant === 'b').map((l) => l.id));
  }, 60_000);

  it('fits a 390 px phone: the experiment pages have no horizontal overflow', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // How far the page is wider than the viewport (evaluated in the page, as an expression: this
    // file is type-checked without the DOM library).
    const overflow = () =>
      phone.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    try {
      await signIn(phone, serve.baseUrl, adminKey);
      await phone.goto(`${serve.baseUrl}/app/experiments`);
      await fillArms(phone, { n: 2000, x: 200 }, { n: 2000, x: 260 }, [50, 50]);
      await phone
        .getByRole('region', { name: 'Comparison result' })
        .getByTestId('verdict')
        .waitFor({ timeout: 10_000 });
      expect(await overflow()).toBe(0);
      await phone.screenshot({ path: join(ARTIFACTS, 'experiment-phone.png'), fullPage: true });

      await phone.getByRole('link', { name: 'Prefilled text a vs b' }).click();
      await phone
        .getByRole('region', { name: 'Result', exact: true })
        .getByTestId('verdict')
        .waitFor({ timeout: 15_000 });
      expect(await overflow()).toBe(0);
      await phone.screenshot({ path: join(ARTIFACTS, 'experiment-stored-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  }, 60_000);
});
