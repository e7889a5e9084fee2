import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { DemoCounts } from '../src/demo/play.js';
import { buildServer } from '../src/server.js';
import { openStore } from '../src/store/open-store.js';
import { type CliRun, jsonOf, runCli } from './support/run-cli.js';

// `chatmark demo` through the real bin (dist/: `npx tsc -p tsconfig.build.json` first): it fills an
// empty SQLite store through the HTTP app, and the reports read it back like any real data.

/** What `chatmark demo --json` prints. */
type Counts = DemoCounts & { adminKey: string };

describe('chatmark demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatmark-demo-'));
  const env = { DATA_DIR: dir };
  let first: CliRun;
  let counts: Counts;

  beforeAll(async () => {
    first = await runCli(['demo', '--campaigns', '2', '--json'], { env });
    counts = jsonOf<Counts>(first);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and counts what it made: 2 campaigns, 2 A/B links each, 30 days of costs', () => {
    expect(first.code).toBe(0);
    expect(counts).toMatchObject({ campaigns: 2, links: 4, costDays: 60, refunds: 1 });
    expect(counts.clicks).toBeGreaterThan(500);
    expect(counts.clicks).toBeLessThan(5000);
    // ~8% link-preview bots, ~35% of people chat, ~40% of chats qualify, ~20% buy.
    expect(counts.bots / counts.clicks).toBeGreaterThan(0.03);
    expect(counts.bots / counts.clicks).toBeLessThan(0.15);
    expect(counts.chats / (counts.clicks - counts.bots)).toBeGreaterThan(0.25);
    expect(counts.chats / (counts.clicks - counts.bots)).toBeLessThan(0.45);
    expect(counts.qualified).toBeLessThan(counts.chats);
    expect(counts.purchases).toBeGreaterThan(0);
    expect(counts.purchases).toBeLessThan(counts.qualified);
    expect(counts.adminKey).toMatch(/^cm_/);
  });

  it('stored real rows: clicks (some by bots), chats, qualified, purchases, costs', async () => {
    const store = await openStore({ kind: 'sqlite', file: join(dir, 'chatmark.db') });
    try {
      const clicks = await store.db.selectFrom('clicks').select(['bot']).execute();
      expect(clicks).toHaveLength(counts.clicks);
      expect(clicks.filter((c) => Number(c.bot) === 1)).toHaveLength(counts.bots);
      const events = await store.db.selectFrom('events').select(['type', 'source']).execute();
      const ofType = (type: string) => events.filter((e) => e.type === type).length;
      expect(ofType('chat_started')).toBe(counts.chats);
      expect(ofType('qualified')).toBe(counts.qualified);
      expect(ofType('purchase')).toBe(counts.purchases);
      expect(ofType('refund')).toBe(1);
      // Campaign 1 is WhatsApp, campaign 2 the creator's Telegram one: both through their webhooks.
      const sources = new Set(events.map((e) => e.source));
      expect(sources).toContain('webhook:whatsapp');
      expect(sources).toContain('webhook:telegram');
      const costs = await store.db.selectFrom('costs').selectAll().execute();
      expect(costs).toHaveLength(counts.costDays);
      const campaigns = await store.db.selectFrom('campaigns').select(['name']).execute();
      expect(campaigns.map((c) => c.name)).toContain('creator_maria_reel');
      const variants = await store.db.selectFrom('links').select(['variant']).execute();
      expect(variants.map((l) => l.variant).sort()).toEqual(['a', 'a', 'b', 'b']);
    } finally {
      await store.close();
    }
  });

  it('refuses a store that has campaigns already: exit 2, store_not_empty', async () => {
    const again = await runCli(['demo', '--json'], { env });
    expect(again.code).toBe(2);
    expect(jsonOf<{ error: { code: string } }>(again).error.code).toBe('store_not_empty');
  });

  it.each([['0'], ['21'], ['two']])('refuses --campaigns %s with usage (field campaigns)', async (n) => {
    const run = await runCli(['demo', '--campaigns', n, '--json'], { env });
    expect(run.code).toBe(2);
    expect(jsonOf<{ error: { code: string; field: string } }>(run).error).toMatchObject({
      code: 'usage',
      field: 'campaigns',
    });
  });

  it('GET /api/reports/funnel on the same store shows clicks, chats and conversions per campaign', async () => {
    const server = await buildServer(loadConfig({ DATA_DIR: dir }), { logger: false });
    try {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/reports/funnel?groupBy=campaign',
        headers: { authorization: `Bearer ${counts.adminKey}` },
      });
      expect(response.statusCode).toBe(200);
      const rows = response.json().rows as {
        key: string;
        link_clicks: number;
        chats_started: number;
        conversions: number;
        spend: number | null;
      }[];
      const whatsapp = rows.find((r) => r.key === 'black_friday_whatsapp');
      expect(whatsapp?.link_clicks).toBeGreaterThan(0);
      expect(whatsapp?.chats_started).toBeGreaterThan(0);
      expect(whatsapp?.conversions).toBeGreaterThan(0);
      expect(whatsapp?.spend).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
