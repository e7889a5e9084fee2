import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumMissing, openBrowser, signIn } from '../support/browser.js';
import { startServeProcess, type ServeProcess } from '../support/process.js';

const KEY = 'cm_browser_0123456789abcdefghijklmnop';

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real
 * `chatmark serve`: sign in, build a WhatsApp link with a wrong number (error shown) then a right
 * one (preview and QR shown), save it, follow the short link, and see the click counted.
 */
describe('dashboard in Chromium: the link builder', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  beforeEach((ctx) => {
    if (chromiumMissing) ctx.skip(chromiumMissing);
  });
  beforeAll(async () => {
    if (chromiumMissing) return;
    serve = await startServeProcess({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chatmark-browser-')),
      CHATMARK_API_KEY: KEY,
    });
    ({ browser, page } = await openBrowser());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    serve?.child.kill('SIGTERM');
    await serve?.exited;
  });

  it('signs in, shows the API error on a wrong number, previews and saves a right one, and counts its click', async () => {
    await signIn(page, serve.baseUrl, KEY);
    await page.screenshot({ path: join(ARTIFACTS, 'signed-in.png') });

    await page.getByLabel('Phone number').fill('123');
    await page.getByLabel('Country').fill('US');
    await expect
      .poll(() => page.locator('.field-error').first().textContent(), { timeout: 10_000 })
      .toMatch(/\S/);
    await page.screenshot({ path: join(ARTIFACTS, 'builder-invalid-phone.png') });

    await page.getByLabel('Phone number').fill('+44 7911 123456');
    await page.getByLabel('Country').fill('');
    await page.getByLabel('Prefilled text').fill('Hi! I saw your flyer');
    const opens = page.locator('.preview-list dd a').first();
    await expect
      .poll(() => opens.textContent(), { timeout: 10_000 })
      .toContain('https://wa.me/447911123456?text=Hi!%20I%20saw%20your%20flyer');
    await expect.poll(() => page.locator('figure.qr-preview img').count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'builder-preview.png') });

    await page.getByRole('button', { name: 'Save as tracked link' }).click();
    await page.getByRole('heading', { name: 'Tracked link saved' }).waitFor({ timeout: 10_000 });
    const shortUrl = String(
      await page
        .locator('a', { hasText: `${serve.baseUrl}/` })
        .first()
        .textContent(),
    );
    expect(shortUrl).toMatch(/\/[2-9a-zA-HJ-NP-Z]{7}$/);
    await page.screenshot({ path: join(ARTIFACTS, 'builder-saved.png') });

    const code = shortUrl.split('/').pop();
    const followed = await fetch(`${serve.baseUrl}/${code}`, {
      redirect: 'manual',
      headers: {
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      },
    });
    expect(followed.status).toBe(302);

    await page.goto(`${serve.baseUrl}/app/links`);
    const row = page.locator('tr', { hasText: String(code) });
    await expect
      .poll(() => row.locator('td[data-label="Humans"]').textContent(), { timeout: 10_000 })
      .toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'links.png') });

    // A web link's UTM values are linted as they are typed, and one click applies the fixes.
    await page.goto(`${serve.baseUrl}/app/builder`);
    await page.getByLabel('Web page').check();
    await page.getByLabel('Destination URL').fill('https://shop.example/spring');
    await page.getByLabel('Source', { exact: true }).fill('Insta Gram');
    await page.getByLabel('Medium', { exact: true }).fill('Whats App');
    const findings = page.getByTestId('utm-findings').locator('li');
    await expect
      .poll(() => findings.evaluateAll((items) => items.map((li) => li.getAttribute('data-code'))))
      .toEqual(['not_normalized', 'not_normalized', 'unknown_medium']);
    await page.screenshot({ path: join(ARTIFACTS, 'builder-utm-lint.png'), fullPage: true });
    await page.getByRole('button', { name: 'Fix all' }).click();
    expect(await page.getByLabel('Source', { exact: true }).inputValue()).toBe('insta_gram');
    expect(await page.getByLabel('Medium', { exact: true }).inputValue()).toBe('whatsapp');
    expect(await page.getByTestId('utm-findings').count()).toBe(0);
    await expect
      .poll(() => page.locator('.preview-list dd a').first().textContent(), { timeout: 10_000 })
      .toContain('utm_source=insta_gram&utm_medium=whatsapp');

    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${serve.baseUrl}/app/builder`);
    await page.getByLabel('Phone number').waitFor();
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(ARTIFACTS, 'builder-phone.png'), fullPage: true });
  }, 90_000);
});
