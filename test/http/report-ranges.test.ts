import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonOf, runCli } from '../support/run-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0);

/**
 * Issue 10, item 1.4: `GET /api/reports/funnel?from=0001-01-01&to=9999-12-31` held the server for
 * minutes. Every ranged read takes at most a year between 2000 and 2100 (domain/date-range.ts),
 * refused before the store is read.
 */
describeEachBackend('ranged reads are bounded', (backend) => {
  let t: TestServer;
  let viewerKey: string;
  let linkId: number;
  let experimentId: number;
  let campaignId: number;

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, {}, { now: NOW });
    viewerKey = (await t.call('POST', '/api/keys', { name: 'reader', role: 'viewer' })).json().secret;
    campaignId = (await t.call('POST', '/api/campaigns', { name: 'Winter', owner: 'ana' })).json().id;
    const links = [];
    for (const variant of ['a', 'b']) {
      links.push(
        (
          await t.call('POST', '/api/links', {
            campaignId,
            channel: 'whatsapp',
            target: { phone: '+447911123456' },
            variant,
          })
        ).json().id as number,
      );
    }
    linkId = links[0] ?? 0;
    const experiment = await t.call('POST', `/api/campaigns/${campaignId}/experiments`, {
      name: 'A/B',
      decisionMetric: 'conversion_rate',
      baselineLinkIds: [links[0]],
      variantLinkIds: [links[1]],
    });
    expect(experiment.statusCode, experiment.body).toBe(201);
    experimentId = experiment.json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const slices = async () =>
    Number(
      (
        await t.server.store.db
          .selectFrom('report_slices')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const reports = ['/api/reports/funnel?', '/api/reports/attribution?', '/api/reports/funnel?groupBy=day&'];
  it.each([
    ['from=0001-01-01&to=9999-12-31', 'invalid_range', 'from'],
    ['from=1999-12-31&to=2000-06-01', 'invalid_range', 'from'],
    ['from=2100-12-01&to=2101-01-05', 'invalid_range', 'to'],
    ['from=2026-11-02&to=2026-11-01', 'invalid_range', 'from'],
    ['from=2000-01-01&to=2049-12-31', 'range_too_long', 'from'],
    // `to` as a date is inclusive: this is 367 days.
    ['from=2025-11-01&to=2026-11-02', 'range_too_long', 'from'],
    ['from=2025-11-01', 'range_too_long', 'from'],
    ['from=1&to=2026-11-01', 'invalid_date', 'from'],
    ['to=2026-02-30', 'invalid_date', 'to'],
  ])('reports: %s → %s (%s), with a viewer key, before the store is read', async (query, code, field) => {
    if (backend.skipReason) return;
    for (const path of reports) {
      const response = await t.call('GET', `${path}${query}`, undefined, { key: viewerKey });
      expect(response.statusCode, path).toBe(422);
      expect(response.json().error).toMatchObject({ code, field });
    }
    expect(await slices()).toBe(0);
  });

  it('reports: says the longest period in the message, and takes exactly a year', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const tooLong = await t.call('GET', '/api/reports/funnel?from=2025-01-01&to=2026-06-01');
    expect(tooLong.json().error.message).toBe('The period is 517 days; the longest is 366 days');
    // 2024 has a leap day: 366 whole days, the last one included.
    const year = await t.call('GET', '/api/reports/funnel?from=2024-01-01&to=2024-12-31', undefined, {
      key: viewerKey,
    });
    expect(year.statusCode, year.body).toBe(200);
    expect(year.json().parameters).toMatchObject({
      from: '2024-01-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
    });
    // The report cache: one slice per whole day, 366 at most for the longest period, and none
    // more when it is asked again.
    expect(await slices()).toBe(366);
    const again = await t.call('GET', '/api/reports/funnel?from=2024-01-01&to=2024-12-31');
    expect(again.json()).toEqual(year.json());
    expect(await slices()).toBe(366);
  });

  it.each([
    ['from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z', 'invalid_range', 'from'],
    ['from=2020-01-01T00:00:00Z', 'range_too_long', 'from'],
    ['from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'invalid_range', 'from'],
  ])('link stats and experiment results: %s → %s', async (query, code, field) => {
    if (backend.skipReason) return;
    for (const path of [`/api/links/${linkId}/stats`, `/api/experiments/${experimentId}/results`]) {
      const response = await t.call('GET', `${path}?${query}`, undefined, { key: viewerKey });
      expect(response.statusCode, path).toBe(422);
      expect(response.json().error).toMatchObject({ code, field });
    }
  });

  it("link stats and experiment results default to at most a year back from a long-lived link's creation", async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    // Two years after the link and the campaign were made.
    t.clock.now = NOW + 2 * 365 * 86_400_000;
    try {
      const stats = await t.call('GET', `/api/links/${linkId}/stats`, undefined, { key: viewerKey });
      expect(stats.statusCode, stats.body).toBe(200);
      const { from, to } = stats.json();
      expect(Date.parse(to) - Date.parse(from)).toBe(366 * 86_400_000);
      const results = await t.call('GET', `/api/experiments/${experimentId}/results`, undefined, {
        key: viewerKey,
      });
      expect(results.statusCode, results.body).toBe(200);
      const p = results.json().parameters;
      expect(Date.parse(p.to) - Date.parse(p.from)).toBe(366 * 86_400_000);
    } finally {
      t.clock.now = NOW;
    }
  });

  it('costs: a day outside 2000–2100 is refused', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    for (const date of ['0001-01-01', '1999-12-31', '2101-01-01']) {
      const response = await t.call('POST', '/api/costs', {
        campaignId,
        date,
        spend: { amount: 100, currency: 'USD' },
      });
      expect(response.statusCode, date).toBe(422);
      expect(response.json().error).toMatchObject({ code: 'invalid_range', field: 'date' });
    }
  });

  it('the CLI (chatmark report funnel|attribution) refuses the same ranges', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    await t.server.store.db.deleteFrom('report_slices').execute();
    for (const kind of ['funnel', 'attribution']) {
      const run = await runCli(['report', kind, '--from', '0001-01-01', '--to', '9999-12-31', '--json'], {
        env: t.env,
      });
      expect(run.code, run.stderr).toBe(2);
      expect(jsonOf(run)).toMatchObject({ error: { code: 'invalid_range', field: 'from' } });
      const long = await runCli(['report', kind, '--from', '2024-01-01', '--to', '2026-01-01'], {
        env: t.env,
      });
      expect(long.code).toBe(2);
      expect(long.stderr).toContain('the longest is 366 days');
    }
    expect(await slices()).toBe(0);
  });
});
