import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumMissing, type DemoDashboard, signIn, startDemoDashboard } from '../support/browser.js';

/**
 * The Content-Security-Policy the server sends must not break what it serves: the built dashboard
 * (Vite bundle, recharts' inline styles, QR codes as data: images) and swagger-ui at /docs, in a
 * real Chromium against a real `chatmark serve`. A violation shows as a `securitypolicyviolation`
 * event and a console error; both are collected on every page.
 */
describe('the CSP in Chromium: dashboard and /docs work under it', () => {
  let dashboard: DemoDashboard | undefined;
  const violations: string[] = [];
  beforeEach((ctx) => {
    if (chromiumMissing) ctx.skip(chromiumMissing);
  });
  beforeAll(async () => {
    if (chromiumMissing) return;
    dashboard = await startDemoDashboard('csp');
    // A string: it runs in the page, where `document` is (not in this file's Node types).
    await dashboard.page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) => {
        (window.__csp ??= []).push(event.violatedDirective + ' ' + event.blockedURI);
      });`,
    });
    dashboard.page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        violations.push(message.text());
      }
    });
  }, 120_000);
  afterAll(async () => dashboard?.close());

  const pageViolations = async () => dashboard!.page.evaluate<string[]>('window.__csp ?? []');

  it('sends the policy, and the dashboard renders its charts and QR codes under it', async () => {
    const { page, serve, adminKey } = dashboard!;
    const response = await page.goto(`${serve.baseUrl}/`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await signIn(page, serve.baseUrl, adminKey);
    await page.goto(`${serve.baseUrl}/app/campaigns/1`);
    await page.locator('.recharts-surface').first().waitFor({ timeout: 20_000 });
    expect(await pageViolations()).toEqual([]);
    await page.goto(`${serve.baseUrl}/app/builder`);
    await page.getByRole('heading', { name: 'Link builder' }).waitFor();
    for (const path of ['/app/links', '/app/attribution', '/app/experiments', '/app/settings']) {
      await page.goto(`${serve.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
      expect(await pageViolations(), path).toEqual([]);
    }
    expect(violations).toEqual([]);
  });

  it('serves /docs (swagger-ui) working under the same policy', async () => {
    const { page, serve } = dashboard!;
    const response = await page.goto(`${serve.baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page
      .locator('.swagger-ui .info .title')
      .filter({ hasText: 'Chatmark API' })
      .waitFor({ timeout: 20_000 });
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    expect(await pageViolations()).toEqual([]);
    expect(violations).toEqual([]);
  });
});
