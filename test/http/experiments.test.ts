import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareProportions, pooledZTest, sampleRatioMismatch } from '../../src/domain/stats/index.js';
import golden from '../golden/experiments.json' with { type: 'json' };
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const BOT_UA = 'WhatsApp/2.23.20.0';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** startTestServer's clock starts here. */
const T0 = Date.UTC(2026, 10, 23, 12, 0);

/** The value at a dotted path: `zTest.z`, `ci.0`. */
function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v === null || v === undefined ? v : (v as Record<string, unknown>)[key]),
      value,
    );
}

/** Checks a golden `expect` map: numbers to `decimals`, everything else exactly. */
function expectGolden(answer: unknown, expected: Record<string, unknown>, decimals: number): void {
  for (const [path, want] of Object.entries(expected)) {
    const got = at(answer, path);
    if (typeof want === 'number') {
      expect(typeof got, path).toBe('number');
      expect(Math.abs((got as number) - want), `${path}: ${String(got)} vs ${want}`).toBeLessThanOrEqual(
        0.5 * 10 ** -decimals,
      );
    } else {
      expect(got, path).toEqual(want);
    }
  }
}

describeEachBackend('experiments over HTTP (spec/metrics.md §3)', (backend) => {
  let t: TestServer;
  let viewerKey: string;

  async function clicks(code: string, n: number, ua = UA): Promise<string[]> {
    const tokens: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const r = await t.server.app.inject({ method: 'GET', url: `/${code}`, headers: { 'user-agent': ua } });
      expect(r.statusCode).toBeLessThan(400);
      tokens.push(String(r.headers['x-chatmark-click']));
    }
    return tokens;
  }
  async function events(items: unknown[]) {
    for (let i = 0; i < items.length; i += 1000) {
      const response = await t.call('POST', '/api/events', items.slice(i, i + 1000));
      expect(response.statusCode).toBe(200);
      expect(response.json().errors).toBe(0);
    }
  }
  async function campaign(body: Record<string, unknown>): Promise<number> {
    const response = await t.call('POST', '/api/campaigns', { owner: 'ana', ...body });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  }
  async function link(campaignId: number, variant: string): Promise<{ id: number; code: string }> {
    const response = await t.call('POST', '/api/links', {
      campaignId,
      channel: 'telegram',
      target: { username: 'acme_support_bot' },
      variant,
    });
    expect(response.statusCode).toBe(201);
    return response.json();
  }
  /** A chat per click (contact `prefix-i`) and a purchase for the first `buyers` of them. */
  async function funnel(prefix: string, refs: string[], chats: number, buyers: number, when: number) {
    await events(
      refs.slice(0, chats).map((ref, i) => ({
        type: 'chat_started',
        occurredAt: new Date(when).toISOString(),
        idempotencyKey: `${prefix}-chat-${i}`,
        ref,
        contact: { externalId: `${prefix}-${i}` },
      })),
    );
    await events(
      refs.slice(0, buyers).map((clickId, i) => ({
        type: 'purchase',
        occurredAt: new Date(when + HOUR).toISOString(),
        idempotencyKey: `${prefix}-buy-${i}`,
        clickId,
        value: { amount: 8500, currency: 'USD' },
      })),
    );
  }

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    viewerKey = (await t.call('POST', '/api/keys', { name: 'reader', role: 'viewer' })).json().secret;
  });
  afterAll(async () => t?.close());

  describe('POST /api/experiments/compare', () => {
    it.each(golden.compare)('$name ($spec)', async ({ request, expect: expected, decimals }) => {
      const response = await t.call('POST', '/api/experiments/compare', request);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expectGolden(body, expected, decimals);
      expect(body.reason).toEqual(expect.any(String));
      expect(body).toHaveProperty('relativeChange');
      expect(body).toHaveProperty('ci');
      expect(body).toHaveProperty('pValue');
    });

    it('answers the pooled z-test vector with the minimum sample at the observed rates and no SRM without weights', async () => {
      const body = (
        await t.call('POST', '/api/experiments/compare', {
          baseline: { n: 83, x: 5 },
          variant: { n: 99, x: 12 },
        })
      ).json();
      expect(body).not.toHaveProperty('srm');
      // sampleSizePerArm(5/83, 12/99): units per arm to detect this lift.
      expect(body.minimumSample).toBe(348);
      expect(body.reason).toBe(
        'Not enough data: 12 conversions in the larger arm (baseline 5, variant 12); the minimum is 150.',
      );
    });

    it.each(golden.errors)('refuses $name with 422 $code on $field', async ({ request, code, field }) => {
      const response = await t.call('POST', '/api/experiments/compare', request);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ error: { code, message: expect.any(String), field } });
    });

    it.each([
      ['a missing variant', { baseline: 5 }, 'variant'],
      ['an unknown field', { baseline: 5, variant: 6, colour: 'red' }, undefined],
      ['a string for a count', { baseline: { n: '83', x: 5 }, variant: { n: 99, x: 12 } }, 'baseline'],
    ])('refuses %s with 422 invalid_request', async (_what, body, field) => {
      const response = await t.call('POST', '/api/experiments/compare', body);
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('invalid_request');
      // The field names the member of the body that is wrong (or a part of it).
      if (field !== undefined) expect(response.json().error.field).toMatch(new RegExp(`^${field}`));
    });

    it('may be called with any key role, but not without a key', async () => {
      const body = { baseline: 19000, variant: 19760 };
      const viewer = await t.call('POST', '/api/experiments/compare', body, { key: viewerKey });
      expect(viewer.statusCode).toBe(200);
      expect(viewer.json().relativeChange).toBeCloseTo(0.04, 12);
      const none = await t.call('POST', '/api/experiments/compare', body, { key: null });
      expect(none.statusCode).toBe(401);
    });

    it('is in the OpenAPI document', async () => {
      const doc = (await t.call('GET', '/openapi.json')).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/experiments/compare',
          '/api/campaigns/{id}/experiments',
          '/api/experiments/{id}/results',
          '/api/campaigns/{id}/baseline',
          '/api/campaigns/{id}/reviews',
          '/api/campaigns/{id}/reviews/{day}',
        ]),
      );
    });
  });

  describe('experiments stored on a campaign', () => {
    let campaignId: number;
    let a1: { id: number; code: string };
    let a2: { id: number; code: string };
    let b1: { id: number; code: string };
    let foreign: { id: number; code: string };
    let experimentId: number;

    beforeAll(async () => {
      if (backend.skipReason) return;
      campaignId = await campaign({ name: 'Split test' });
      a1 = await link(campaignId, 'a');
      a2 = await link(campaignId, 'a');
      b1 = await link(campaignId, 'b');
      foreign = await link(await campaign({ name: 'Elsewhere' }), 'a');
      t.clock.now = T0 + 5 * 60_000;
      // Baseline (a1 + a2): 60 human clicks, 40 chats, 10 purchases. Variant (b1): 60 human clicks,
      // 50 chats, 35 purchases. Plus what must not count: a bot click, a re-entry, another campaign.
      const baseline = [...(await clicks(a1.code, 30)), ...(await clicks(a2.code, 30))];
      const variant = await clicks(b1.code, 60);
      await clicks(b1.code, 1, BOT_UA);
      await clicks(foreign.code, 5);
      const when = T0 + 10 * 60_000;
      await funnel('base', baseline, 40, 10, when);
      await funnel('var', variant, 50, 35, when);
      await events([
        {
          type: 'chat_started',
          occurredAt: new Date(when + 2 * HOUR).toISOString(),
          idempotencyKey: 'var-chat-again',
          ref: variant[0],
          contact: { externalId: 'var-0' },
        },
        {
          type: 'qualified',
          occurredAt: new Date(when + 2 * HOUR).toISOString(),
          idempotencyKey: 'var-q-0',
          clickId: variant[0],
        },
      ]);
      t.clock.now = T0 + DAY;
    }, 120_000);

    it('creates an experiment from link groups and lists it', async () => {
      const created = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, {
        name: 'Shorter greeting',
        decisionMetric: 'conversion_rate',
        baselineLinkIds: [a1.id, a2.id],
        variantLinkIds: [b1.id],
        expectedWeights: [50, 50],
        minConversions: 0,
      });
      expect(created.statusCode, created.body).toBe(201);
      const experiment = created.json();
      expect(experiment).toMatchObject({
        campaignId,
        name: 'Shorter greeting',
        decisionMetric: 'conversion_rate',
        baselineLinkIds: [a1.id, a2.id],
        variantLinkIds: [b1.id],
        expectedWeights: [50, 50],
        minConversions: 0,
        plannedSampleSize: null,
        minimumEffect: 0,
        rollbackThreshold: 0,
        createdAt: new Date(T0 + DAY).toISOString(),
      });
      experimentId = experiment.id;
      const listed = await t.call('GET', `/api/campaigns/${campaignId}/experiments`, undefined, {
        key: viewerKey,
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().experiments).toEqual([experiment]);
    });

    it('counts each arm from the store (human clicks, first chats, qualified, purchases) and decides', async () => {
      const response = await t.call('GET', `/api/experiments/${experimentId}/results`, undefined, {
        key: viewerKey,
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.parameters).toMatchObject({
        metric: 'conversion_rate',
        conversion: 'purchase',
        to: new Date(T0 + DAY).toISOString(),
      });
      expect(body.arms.baseline).toMatchObject({
        linkIds: [a1.id, a2.id],
        link_clicks: 60,
        chats_started: 40,
        qualified: 0,
        conversions: 10,
        landing_visits: 0,
        rate: 0.25,
      });
      expect(body.arms.variant).toMatchObject({
        linkIds: [b1.id],
        link_clicks: 60, // the bot click is not a click
        chats_started: 50, // the re-entry is not a new chat
        qualified: 1,
        conversions: 35,
        rate: 0.7,
      });
      // The numbers are those of the §3 functions on the counted arms.
      const stats = compareProportions({ baseline: { n: 40, x: 10 }, variant: { n: 50, x: 35 } });
      expect(body.relativeChange).toBeCloseTo(1.8, 12);
      expect(body.ci).toEqual(stats.ci);
      expect(body.pValue).toBe(stats.pValue);
      expect(body.zTest).toEqual(pooledZTest(35, 50, 10, 40));
      // The split is checked on link clicks, the unit it assigns: 60 / 60 at 50/50.
      expect(body.srm).toEqual({ chi2: 0, pValue: 1, mismatch: false });
      expect(body.minimumSample).toEqual(expect.any(Number));
      expect(body).toMatchObject({ mode: 'proportions', verdict: 'ship', rule: 'ship' });
      expect(body.ci[0]).toBeGreaterThan(0);
    });

    it('holds when the planned split is broken (SRM), whatever the lift', async () => {
      const created = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, {
        name: 'Planned 90/10',
        decisionMetric: 'conversion_rate',
        baselineLinkIds: [a1.id, a2.id],
        variantLinkIds: [b1.id],
        expectedWeights: [90, 10],
        minConversions: 0,
      });
      const body = (await t.call('GET', `/api/experiments/${created.json().id}/results`)).json();
      const srm = sampleRatioMismatch([60, 60], [90, 10]);
      expect(body.srm).toEqual({ chi2: srm.chi2, pValue: srm.pValue, mismatch: true });
      expect(body).toMatchObject({ verdict: 'hold', rule: 'srm' });
      expect(body.reason).toMatch(/^Sample ratio mismatch/);
    });

    it('decides on the experiment’s own metric and minimum sample', async () => {
      const created = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, {
        name: 'Messages per click',
        decisionMetric: 'click_to_message_rate',
        baselineLinkIds: [a1.id, a2.id],
        variantLinkIds: [b1.id],
      });
      const body = (await t.call('GET', `/api/experiments/${created.json().id}/results`)).json();
      expect(body.baselineRate).toBeCloseTo(40 / 60, 12);
      expect(body.variantRate).toBeCloseTo(50 / 60, 12);
      expect(body).not.toHaveProperty('srm'); // no planned split, no check
      expect(body).toMatchObject({ verdict: 'hold', rule: 'sample' }); // 50 chats < 150
    });

    it('counts only the period asked for', async () => {
      const from = new Date(T0 + 2 * DAY).toISOString();
      const to = new Date(T0 + 3 * DAY).toISOString();
      const body = (
        await t.call('GET', `/api/experiments/${experimentId}/results?from=${from}&to=${to}`)
      ).json();
      expect(body.parameters).toMatchObject({ from, to });
      expect(body.arms.baseline).toMatchObject({
        link_clicks: 0,
        chats_started: 0,
        conversions: 0,
        rate: null,
      });
      expect(body.relativeChange).toBeNull();
      expect(body.verdict).toBe('hold');
    });

    it.each([
      ['an unknown link', () => ({ baselineLinkIds: [999_999] }), 'unknown_link', 'baselineLinkIds.0'],
      [
        'a link of another campaign',
        () => ({ variantLinkIds: [b1.id, foreign.id] }),
        'link_not_in_campaign',
        'variantLinkIds.1',
      ],
      ['a link in both arms', () => ({ variantLinkIds: [a2.id] }), 'overlapping_arms', 'variantLinkIds.0'],
      [
        'a link listed twice',
        () => ({ baselineLinkIds: [a1.id, a1.id] }),
        'duplicate_link',
        'baselineLinkIds.1',
      ],
      ['an unknown metric', () => ({ decisionMetric: 'roi' }), 'invalid_request', 'decisionMetric'],
      ['no variant links', () => ({ variantLinkIds: [] }), 'invalid_request', 'variantLinkIds'],
      ['a zero weight', () => ({ expectedWeights: [0, 1] }), 'invalid_request', 'expectedWeights.0'],
      [
        'a negative rollback threshold',
        () => ({ rollbackThreshold: -0.1 }),
        'invalid_request',
        'rollbackThreshold',
      ],
    ])('refuses %s with 422, its code and field', async (_what, patch, code, field) => {
      const response = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, {
        name: 'Bad',
        decisionMetric: 'conversion_rate',
        baselineLinkIds: [a1.id, a2.id],
        variantLinkIds: [b1.id],
        ...patch(),
      });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ error: { code, message: expect.any(String), field } });
    });

    it('answers 404 for an unknown campaign or experiment, and 403 to a viewer that writes', async () => {
      const body = {
        name: 'x',
        decisionMetric: 'conversion_rate',
        baselineLinkIds: [a1.id],
        variantLinkIds: [b1.id],
      };
      const noCampaign = await t.call('POST', '/api/campaigns/999999/experiments', body);
      expect(noCampaign.statusCode).toBe(404);
      expect(noCampaign.json().error.code).toBe('campaign_not_found');
      expect((await t.call('GET', '/api/campaigns/999999/experiments')).statusCode).toBe(404);
      const noExperiment = await t.call('GET', '/api/experiments/999999/results');
      expect(noExperiment.statusCode).toBe(404);
      expect(noExperiment.json().error).toMatchObject({ code: 'experiment_not_found', field: 'id' });
      const viewer = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, body, {
        key: viewerKey,
      });
      expect(viewer.statusCode).toBe(403);
      const reversed = await t.call(
        'GET',
        `/api/experiments/${experimentId}/results?from=${new Date(T0 + DAY).toISOString()}&to=${new Date(T0).toISOString()}`,
      );
      expect(reversed.statusCode).toBe(422);
      expect(reversed.json().error).toMatchObject({ code: 'invalid_range', field: 'from' });
    });
  });

  describe('baseline snapshot and day 3 / 7 / 14 reviews', () => {
    /** Launch: the next midnight after the clock's start. */
    const LAUNCH = Date.UTC(2026, 10, 30);
    let campaignId: number;
    let before: { id: number; code: string };
    let after: { id: number; code: string };

    beforeAll(async () => {
      if (backend.skipReason) return;
      t.clock.now = LAUNCH - 2 * DAY;
      campaignId = await campaign({ name: 'Launch review', startsAt: new Date(LAUNCH).toISOString() });
      before = await link(campaignId, 'a');
      after = await link(campaignId, 'b');
      // Before launch: 200 clicks, 200 chats, 20 purchases (conversion rate 0.10).
      await funnel('pre', await clicks(before.code, 200), 200, 20, LAUNCH - 2 * DAY + HOUR);
      // The first three days: 200 clicks, 200 chats, 50 purchases (0.25); on day 5, 100 more chats, 10 purchases.
      t.clock.now = LAUNCH + HOUR;
      await funnel('post', await clicks(after.code, 200), 200, 50, LAUNCH + 2 * HOUR);
      t.clock.now = LAUNCH + 5 * DAY;
      await funnel('late', await clicks(after.code, 100), 100, 10, LAUNCH + 5 * DAY + HOUR);
      t.clock.now = LAUNCH - DAY;
    }, 120_000);

    it('has no baseline and no review due before launch', async () => {
      const none = await t.call('GET', `/api/campaigns/${campaignId}/baseline`);
      expect(none.statusCode).toBe(404);
      expect(none.json().error.code).toBe('baseline_not_found');
      const noCampaign = await t.call('GET', '/api/campaigns/999999/baseline');
      expect(noCampaign.statusCode).toBe(404);
      expect(noCampaign.json().error.code).toBe('campaign_not_found');
      const body = (await t.call('GET', `/api/campaigns/${campaignId}/reviews`)).json();
      expect(body).toMatchObject({
        campaignId,
        launchedAt: new Date(LAUNCH).toISOString(),
        metric: 'conversion_rate',
        conversion: 'purchase',
        experimentId: null,
        baseline: null,
      });
      expect(body.reviews.map((r: { day: number; due: boolean }) => [r.day, r.due])).toEqual([
        [3, false],
        [7, false],
        [14, false],
      ]);
      expect(body.reviews[0]).toMatchObject({
        dueAt: new Date(LAUNCH + 3 * DAY).toISOString(),
        actual: null,
        verdict: null,
        reason: `Not due yet: the day 3 review is due at ${new Date(LAUNCH + 3 * DAY).toISOString()}.`,
      });
    });

    it('snapshots the campaign’s counts and rates (editor role)', async () => {
      expect(
        (await t.call('POST', `/api/campaigns/${campaignId}/baseline`, undefined, { key: viewerKey }))
          .statusCode,
      ).toBe(403);
      const response = await t.call('POST', `/api/campaigns/${campaignId}/baseline`);
      expect(response.statusCode, response.body).toBe(201);
      const baseline = response.json();
      expect(baseline).toEqual({
        campaignId,
        takenAt: new Date(LAUNCH - DAY).toISOString(),
        metrics: {
          conversion: 'purchase',
          link_clicks: 200,
          landing_visits: 0,
          chats_started: 200,
          qualified: 0,
          conversions: 20,
          click_to_message_rate: 1,
          chat_start_rate: null, // no landing visits: a zero denominator is null
          qualification_rate: 0,
          conversion_rate: 0.1,
        },
      });
      expect((await t.call('GET', `/api/campaigns/${campaignId}/baseline`)).json()).toEqual(baseline);
      expect((await t.call('POST', '/api/campaigns/999999/baseline')).statusCode).toBe(404);
    });

    it('day 3 is a health check only: a result the rules would ship is held', async () => {
      // The campaign's experiment sets the thresholds the reviews use: no minimum conversions.
      const experiment = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, {
        name: 'Launch',
        decisionMetric: 'conversion_rate',
        baselineLinkIds: [before.id],
        variantLinkIds: [after.id],
        minConversions: 0,
      });
      expect(experiment.statusCode, experiment.body).toBe(201);
      t.clock.now = LAUNCH + 4 * DAY;
      const body = (
        await t.call('GET', `/api/campaigns/${campaignId}/reviews`, undefined, { key: viewerKey })
      ).json();
      expect(body.experimentId).toBe(experiment.json().id);
      expect(body.baseline).toEqual({ takenAt: new Date(LAUNCH - DAY).toISOString(), value: 0.1 });
      const [day3, day7] = body.reviews;
      const stats = compareProportions({ baseline: { n: 200, x: 20 }, variant: { n: 200, x: 50 } });
      expect(day3).toMatchObject({
        day: 3,
        due: true,
        from: new Date(LAUNCH).toISOString(),
        to: new Date(LAUNCH + 3 * DAY).toISOString(),
        expected: 0.1,
        actual: 0.25,
        ci: stats.ci,
        pValue: stats.pValue,
        verdict: 'hold',
        rule: 'health_check',
        counts: { expected: { x: 20, n: 200 }, actual: { x: 50, n: 200 } },
        notes: null,
      });
      expect(day3.relativeChange).toBeCloseTo(1.5, 12);
      expect(stats.ci![0]).toBeGreaterThan(0); // the rules alone would ship
      expect(day3.reason).toMatch(/^Day 3 is a health check only/);
      expect(day7).toMatchObject({ day: 7, due: false, verdict: null, actual: null });
    });

    it('day 7 decides with the same rules, over launch to day 7', async () => {
      t.clock.now = LAUNCH + 7 * DAY;
      const body = (await t.call('GET', `/api/campaigns/${campaignId}/reviews`)).json();
      const day7 = body.reviews[1];
      const stats = compareProportions({ baseline: { n: 200, x: 20 }, variant: { n: 300, x: 60 } });
      expect(day7).toMatchObject({
        day: 7,
        due: true,
        counts: { expected: { x: 20, n: 200 }, actual: { x: 60, n: 300 } },
        ci: stats.ci,
        verdict: 'ship',
        rule: 'ship',
      });
      expect(day7.actual).toBeCloseTo(0.2, 12);
      expect(stats.ci![0]).toBeGreaterThan(0);
      expect(day7.reason).not.toMatch(/health check/);
      expect(body.reviews[2]).toMatchObject({ day: 14, due: false });
      // Another metric on request: qualification rate, with no qualified leads at all.
      const qualified = (
        await t.call('GET', `/api/campaigns/${campaignId}/reviews?metric=qualification_rate`)
      ).json();
      expect(qualified.metric).toBe('qualification_rate');
      expect(qualified.reviews[1]).toMatchObject({
        expected: 0,
        actual: 0,
        relativeChange: null,
        verdict: 'hold',
      });
    });

    it('shows the actual value but no verdict for a due review without a baseline', async () => {
      const { campaigns } = (await t.call('GET', '/api/campaigns')).json();
      const split = campaigns.find((c: { name: string }) => c.name === 'Split test');
      const body = (await t.call('GET', `/api/campaigns/${split.id}/reviews`)).json();
      expect(body).toMatchObject({ launchedAt: new Date(T0).toISOString(), baseline: null });
      // The metric is that of the campaign's latest experiment ("Messages per click"); day 3 covers
      // all of its traffic: 90 first chats from 120 human clicks.
      expect(body.metric).toBe('click_to_message_rate');
      expect(body.reviews[0]).toMatchObject({
        day: 3,
        due: true,
        expected: null,
        actual: 0.75,
        verdict: null,
        counts: { expected: null, actual: { x: 90, n: 120 } },
        reason: `No baseline snapshot to compare with: take one with POST /api/campaigns/${split.id}/baseline before launch.`,
      });
    });

    it('records root-cause notes per review day (editor role) and shows them', async () => {
      const put = (day: unknown, body: unknown, key?: string) =>
        t.call('PUT', `/api/campaigns/${campaignId}/reviews/${String(day)}`, body, key ? { key } : {});
      expect((await put(3, { notes: 'tracking pixel missing on day 1' })).statusCode).toBe(200);
      t.clock.now += 60_000;
      const replaced = await put(3, { notes: 'pixel fixed; creative B outperformed' });
      expect(replaced.json()).toEqual({
        campaignId,
        day: 3,
        notes: 'pixel fixed; creative B outperformed',
        updatedAt: new Date(t.clock.now).toISOString(),
      });
      expect((await put(14, { notes: 'pending' })).statusCode).toBe(200);
      const body = (await t.call('GET', `/api/campaigns/${campaignId}/reviews`)).json();
      expect(body.reviews.map((r: { notes: string | null }) => r.notes)).toEqual([
        'pixel fixed; creative B outperformed',
        null,
        'pending',
      ]);
      expect(body.reviews[0].notesUpdatedAt).toBe(new Date(t.clock.now).toISOString());

      expect((await put(3, { notes: 'x' }, viewerKey)).statusCode).toBe(403);
      const badDay = await put(5, { notes: 'x' });
      expect(badDay.statusCode).toBe(422);
      expect(badDay.json().error).toMatchObject({ code: 'invalid_request', field: 'day' });
      const noNotes = await put(7, {});
      expect(noNotes.statusCode).toBe(422);
      expect(noNotes.json().error).toMatchObject({ code: 'invalid_request', field: 'notes' });
      const noCampaign = await t.call('PUT', '/api/campaigns/999999/reviews/3', { notes: 'x' });
      expect(noCampaign.statusCode).toBe(404);
    });
  });
});
