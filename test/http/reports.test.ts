import { afterAll, beforeAll, expect, it } from 'vitest';
import { ATTRIBUTION_GROUP_BYS, GROUP_BYS } from '../../src/domain/reports/params.js';
import { attributionReport, funnelReport } from '../../src/http/contract/reports.js';
import { expectContract } from '../support/contract.js';
import { jsonOf, runCli } from '../support/run-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 12, 0) + minutes * 60_000).toISOString();

/**
 * spec/metrics.md §1, the worked example, reproduced through the API: spend 6,000.00 USD; 400
 * conversations started; 160 qualified; 32 purchases at 85.00 → revenue 2,720.00,
 * qualification_rate 0.40, conversion_rate 0.08, cpa 187.50, cost_per_qualified_lead 37.50,
 * roi −0.5467. Adding 40 assisted purchases within 30 days gives 72 purchases, revenue 6,120.00,
 * roi +0.02, cpa 83.33.
 */
describeEachBackend('reports: the worked example of spec/metrics.md §1', (backend) => {
  let t: TestServer;
  let spring: { id: number; slug: string };
  let other: { id: number; slug: string };
  const codes = { spring: '', other: '' };

  async function clicks(linkCode: string, n: number): Promise<string[]> {
    const tokens: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const r = await t.server.app.inject({
        method: 'GET',
        url: `/${linkCode}`,
        headers: { 'user-agent': UA },
      });
      tokens.push(String(r.headers['x-chatmark-click']));
    }
    return tokens;
  }
  async function events(items: unknown[]) {
    const response = await t.call('POST', '/api/events', items);
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toBe(0);
  }

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    spring = (
      await t.call('POST', '/api/campaigns', { name: 'Spring', owner: 'ana', utm: { source: 'instagram' } })
    ).json();
    other = (await t.call('POST', '/api/campaigns', { name: 'Retargeting', owner: 'bo' })).json();
    const springLink = (
      await t.call('POST', '/api/links', {
        campaignId: spring.id,
        channel: 'telegram',
        target: { username: 'acme_support_bot' },
        variant: 'a',
      })
    ).json();
    const otherLink = (
      await t.call('POST', '/api/links', {
        campaignId: other.id,
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
      })
    ).json();

    // 400 people click the Spring link and start a chat; 160 qualify; 32 buy at 85.00.
    codes.spring = springLink.code;
    codes.other = otherLink.code;
    const springClicks = await clicks(springLink.code, 400);
    await events(
      springClicks.map((ref, i) => ({
        type: 'chat_started',
        occurredAt: at(1),
        idempotencyKey: `chat-${i}`,
        ref,
        contact: { externalId: `u${i}` },
      })),
    );
    await events(
      springClicks
        .slice(0, 160)
        .map((clickId, i) => ({ type: 'qualified', occurredAt: at(30), idempotencyKey: `q-${i}`, clickId })),
    );
    await events(
      springClicks.slice(0, 32).map((clickId, i) => ({
        type: 'purchase',
        occurredAt: at(60 * 24),
        idempotencyKey: `p-${i}`,
        clickId,
        value: { amount: 8500, currency: 'USD' },
      })),
    );
    // 40 others of those 400 come back two days later through the retargeting link and buy there:
    // Spring assisted.
    t.clock.now = Date.parse(at(60 * 24 * 2 - 60));
    const otherClicks = await clicks(otherLink.code, 40);
    await events(
      otherClicks.map((clickId, i) => ({
        type: 'purchase',
        occurredAt: at(60 * 24 * 2),
        idempotencyKey: `rp-${i}`,
        clickId,
        contact: { externalId: `u${200 + i}` },
        value: { amount: 8500, currency: 'USD' },
      })),
    );
    expect(
      (
        await t.call('POST', '/api/costs', {
          campaignId: spring.id,
          date: '2026-11-23',
          spend: { amount: 600000, currency: 'USD' },
          impressions: 120000,
          reach: 80000,
        })
      ).statusCode,
    ).toBe(201);
  }, 120_000);
  afterAll(async () => t?.close());

  const funnel = (query: string) =>
    t.call('GET', `/api/reports/funnel?from=2026-11-01&to=2026-11-30&${query}`);

  it('gives the worked example’s numbers to the cent for the campaign', async () => {
    const response = await funnel(`campaignId=${spring.id}`);
    expect(response.statusCode).toBe(200);
    const { rows, parameters } = response.json();
    expect(parameters).toMatchObject({
      model: 'last_touch',
      groupBy: 'campaign',
      windows: { click: '30d', chat_started: '30d' },
      conversion: 'purchase',
    });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({
      key: 'spring',
      currency: 'USD',
      spend: 600000,
      impressions: 120000,
      reach: 80000,
      link_clicks: 400,
      chats_started: 400,
      qualified: 160,
      conversions: 32,
      revenue: 272000,
      qualification_rate: 0.4,
      conversion_rate: 0.08,
      cpa: 18750,
      cost_per_qualified_lead: 3750,
      cpm: 5000,
      click_to_message_rate: 1,
      immediate: 32,
      assisted: 40,
    });
    expect(row.roi).toBeCloseTo(-0.5467, 4);
    expect(row.with_assisted).toMatchObject({ conversions: 72, revenue: 612000, cpa: 8333 });
    expect(row.with_assisted.roi).toBeCloseTo(0.02, 10);
    expect(row.intervals.qualification_rate[0]).toBeLessThan(0.4);
    expect(row.intervals.qualification_rate[1]).toBeGreaterThan(0.4);
    expect(row.chat_start_rate).toBeNull(); // no landing visits: a zero denominator is null, never 0
  });

  it('answers exactly what the contract says (reports are written without the serializer’s check)', async () => {
    for (const groupBy of GROUP_BYS) {
      const response = await funnel(`groupBy=${groupBy}&model=time_decay`);
      expect(response.statusCode).toBe(200);
      expectContract(funnelReport, response.json());
    }
    for (const groupBy of ATTRIBUTION_GROUP_BYS) {
      const response = await t.call(
        'GET',
        `/api/reports/attribution?from=2026-11-01&to=2026-11-30&groupBy=${groupBy}`,
      );
      expect(response.statusCode).toBe(200);
      expectContract(attributionReport, response.json());
    }
  });

  it('never credits more than the conversions: the attribution view claims 40 more than it credits', async () => {
    const response = await t.call(
      'GET',
      '/api/reports/attribution?from=2026-11-01&to=2026-11-30&groupBy=campaign',
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.conversions).toBe(72);
    const byKey = Object.fromEntries(body.rows.map((r: { key: string }) => [r.key, r]));
    expect(byKey.spring).toMatchObject({ credited: 32, claimed: 72, immediate: 32, assisted: 40 });
    expect(byKey.retargeting).toMatchObject({ credited: 40, claimed: 40, immediate: 40 });
    const credited = body.rows.reduce((s: number, r: { credited: number }) => s + r.credited, 0);
    const claimed = body.rows.reduce((s: number, r: { claimed: number }) => s + r.claimed, 0);
    expect(credited + body.unattributed.count).toBe(72);
    expect(claimed).toBeGreaterThan(72);
  });

  it('moves credit between campaigns when the model changes, while claims stay', async () => {
    const linear = (
      await t.call(
        'GET',
        '/api/reports/attribution?from=2026-11-01&to=2026-11-30&groupBy=campaign&model=linear',
      )
    ).json();
    const byKey = Object.fromEntries(linear.rows.map((r: { key: string }) => [r.key, r]));
    // The 40 returning buyers had 3 touches (Spring click, Spring chat, retargeting click): Spring gets 2/3 of each.
    expect(byKey.spring.credited).toBeCloseTo(32 + 40 * (2 / 3), 6);
    expect(byKey.retargeting.credited).toBeCloseTo(40 / 3, 6);
    expect(byKey.spring.claimed).toBe(72);
    const first = (
      await t.call(
        'GET',
        '/api/reports/attribution?from=2026-11-01&to=2026-11-30&groupBy=campaign&model=first_touch',
      )
    ).json();
    expect(
      Object.fromEntries(first.rows.map((r: { key: string; credited: number }) => [r.key, r.credited])),
    ).toEqual({ spring: 72, retargeting: 0 }); // retargeting still claims its 40: a row with no credit
  });

  it('groups by day, by variant and by link, and refuses unknown parameters with their field', async () => {
    const byDay = (await funnel(`campaignId=${spring.id}&groupBy=day`)).json().rows;
    expect(byDay.map((r: { key: string }) => r.key)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    // Days without a cost row spent nothing (costs are per day), so their spend is 0, not unknown.
    expect(byDay[2]).toMatchObject({ conversions: 0, assisted: 40, spend: 0, roi: null });
    expect(byDay[0]).toMatchObject({
      link_clicks: 400,
      chats_started: 400,
      qualified: 160,
      spend: 600000,
      conversions: 0,
    });
    expect(byDay[1]).toMatchObject({ conversions: 32, revenue: 272000, spend: 0, cpa: 0, roi: null });
    const byVariant = (await funnel(`campaignId=${spring.id}&groupBy=variant`)).json().rows;
    expect(byVariant[0]).toMatchObject({ key: 'a', conversions: 32, spend: null, cpa: null });
    // By link (its short code): every link of every campaign, clicks and credit on the link.
    const byLink = Object.fromEntries(
      (await funnel('groupBy=link')).json().rows.map((r: { key: string }) => [r.key, r]),
    );
    expect(byLink[codes.spring]).toMatchObject({
      link_clicks: 400,
      chats_started: 400,
      qualified: 160,
      conversions: 32,
    });
    expect(byLink[codes.other]).toMatchObject({ conversions: 40, revenue: 340000 });
    for (const [query, field] of [
      ['groupBy=colour', 'groupBy'],
      ['model=magic', 'model'],
      ['window=3months', 'window'],
      ['from=yesterday', 'from'],
    ] as const) {
      const response = await funnel(query);
      expect(response.statusCode).toBe(422);
      expect(response.json().error.field).toBe(field);
    }
  });

  it('gives the same numbers through the CLI (chatmark report funnel|attribution)', async () => {
    const base = ['--campaign', 'spring', '--from', '2026-11-01', '--to', '2026-11-30'];
    const funnelJson = jsonOf(await runCli(['report', 'funnel', ...base, '--json'], { env: t.env })) as {
      rows: Record<string, unknown>[];
    };
    expect(funnelJson.rows[0]).toMatchObject({
      key: 'spring',
      spend: 600000,
      conversions: 32,
      revenue: 272000,
      cpa: 18750,
      assisted: 40,
    });
    const text = await runCli(['report', 'funnel', ...base], { env: t.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'spring (USD): 400 clicks → 400 chats → 160 qualified → 32 purchase (+40 assisted)',
    );
    expect(text.stdout).toContain('CPA $187.50');
    expect(text.stdout).toContain('ROI -54.67%');
    const csv = await runCli(['report', 'funnel', ...base, '--csv'], { env: t.env });
    expect(csv.stdout.split('\n')[0]).toContain('key,currency,reach,impressions,spend');
    const attribution = jsonOf(
      await runCli(
        [
          'report',
          'attribution',
          '--from',
          '2026-11-01',
          '--to',
          '2026-11-30',
          '--model',
          'linear',
          '--json',
        ],
        { env: t.env },
      ),
    ) as { rows: { key: string; credited: number }[] };
    expect(attribution.rows.find((r) => r.key === 'spring')?.credited).toBeCloseTo(32 + 40 * (2 / 3), 6);
    const unknown = await runCli(['report', 'funnel', '--campaign', 'nope', '--json'], { env: t.env });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'campaign_not_found', field: 'campaign' });
  });
});
