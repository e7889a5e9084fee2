import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, dropTestSchemas } from '../../../test/support/services.js';
import {
  countActiveApiKeys,
  findApiKeyByPrefix,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from '../api-keys.repository.js';
import {
  getCampaign,
  getCampaignBySlug,
  insertCampaign,
  insertCampaignChanges,
  listCampaignChanges,
  updateCampaign,
} from '../campaigns.repository.js';
import {
  type ClickRecord,
  clickStats,
  countHumanClicks,
  humanClicksByLink,
  insertClicks,
  listClicks,
} from '../clicks.repository.js';
import type { StoreDb } from '../dialect.js';
import { getLinkByCode, insertLink, listLinks, updateLink } from '../links.repository.js';
import { isUniqueViolation } from '../db.js';
import { getDailySalt, getOrCreateSetting, reserveSequenceBlock } from '../settings.repository.js';
import { countVisits, insertVisit } from '../visits.repository.js';

const T0 = Date.UTC(2026, 10, 1, 10, 15); // 2026-11-01 10:15 UTC

function click(id: number, linkId: number, at: number, extra: Partial<ClickRecord> = {}): ClickRecord {
  return {
    id,
    linkId,
    at,
    visitorHash: `v${id % 3}`, // 1001 → v2, 1002 → v0, 1004 → v2, 1005 → v0
    device: 'mobile',
    os: 'iOS',
    browser: 'Mobile Safari',
    referrerHost: 'instagram.com',
    qr: false,
    bot: false,
    botReason: null,
    country: null,
    adIds: null,
    ...extra,
  };
}

describeEachBackend('store contract', (backend) => {
  let store: StoreDb;
  beforeAll(async () => {
    if (!backend.skipReason) store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await dropTestSchemas();
  });

  it('runs migrations idempotently (a second open of the same database changes nothing)', async () => {
    const { migrate } = await import('../open-store.js');
    await migrate(store);
    await expect(store.db.selectFrom('links').selectAll().execute()).resolves.toEqual([]);
  });

  it('stores API keys and revokes them by prefix', async () => {
    const key = await insertApiKey(store.db, {
      name: 'ops',
      role: 'editor',
      prefix: 'cm_abcd',
      hash: 'h1',
      createdAt: T0,
    });
    expect(key).toMatchObject({ name: 'ops', role: 'editor', prefix: 'cm_abcd', revokedAt: null });
    expect(await findApiKeyByPrefix(store.db, 'cm_abcd')).toEqual(key);
    expect(await countActiveApiKeys(store.db)).toBe(1);
    const revoked = await revokeApiKey(store.db, 'cm_abcd', T0 + 1);
    expect(revoked?.revokedAt).toBe(T0 + 1);
    expect(await revokeApiKey(store.db, 'cm_abcd', T0 + 2)).toBeUndefined();
    expect(await countActiveApiKeys(store.db)).toBe(0);
    expect((await listApiKeys(store.db)).map((k) => k.prefix)).toEqual(['cm_abcd']);
  });

  it('refuses a second key with the same prefix as a unique violation', async () => {
    await insertApiKey(store.db, { name: 'a', role: 'admin', prefix: 'cm_dup1', hash: 'h', createdAt: T0 });
    const error = await insertApiKey(store.db, {
      name: 'b',
      role: 'admin',
      prefix: 'cm_dup1',
      hash: 'h',
      createdAt: T0,
    }).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('round-trips a campaign with JSON fields, money and its changelog', async () => {
    const created = await insertCampaign(
      store.db,
      {
        slug: 'spring_sale',
        name: 'Spring sale',
        owner: 'ana',
        channels: ['whatsapp', 'telegram'],
        utm: { source: 'instagram', medium: 'social' },
        budgetCap: { amount: 600000, currency: 'USD' },
        startsAt: T0,
        endsAt: null,
        rollbackCriteria: { metric: 'conversion_rate', threshold: 0.1 },
        notes: null,
        primaryConversion: 'purchase',
      },
      T0,
    );
    expect(await getCampaign(store.db, created.id)).toEqual(created);
    expect(await getCampaignBySlug(store.db, 'spring_sale')).toEqual(created);
    expect(created.budgetCap).toEqual({ amount: 600000, currency: 'USD' });

    const updated = await updateCampaign(store.db, created.id, { budgetCap: null, notes: 'paused' }, T0 + 5);
    expect(updated).toMatchObject({
      budgetCap: null,
      notes: 'paused',
      updatedAt: T0 + 5,
      name: 'Spring sale',
    });
    await insertCampaignChanges(store.db, [
      {
        campaignId: created.id,
        field: 'budgetCap',
        oldValue: { amount: 600000, currency: 'USD' },
        newValue: null,
        actorKeyId: 7,
        at: T0 + 5,
      },
      {
        campaignId: created.id,
        field: 'notes',
        oldValue: null,
        newValue: 'paused',
        actorKeyId: 7,
        at: T0 + 5,
      },
    ]);
    const changes = await listCampaignChanges(store.db, created.id);
    expect(changes.map((c) => [c.field, c.oldValue, c.newValue, c.actorKeyId])).toEqual([
      ['budgetCap', { amount: 600000, currency: 'USD' }, null, 7],
      ['notes', null, 'paused', 7],
    ]);
  });

  it('stores links, finds them by code, archives them, and refuses a duplicate code', async () => {
    const fields = {
      code: 'Spring1',
      campaignId: null,
      channel: 'whatsapp',
      target: { phone: '+447911123456' },
      text: 'Hi 👋',
      utm: {},
      variant: 'b',
      expiresAt: null,
      maxClicks: 10,
      createdBy: null,
    };
    const link = await insertLink(store.db, fields, T0);
    expect(await getLinkByCode(store.db, 'Spring1')).toEqual(link);
    expect(link.text).toBe('Hi 👋');
    const dup = await insertLink(store.db, fields, T0).catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    await updateLink(store.db, link.id, { archivedAt: T0 + 1 }, T0 + 1);
    expect((await listLinks(store.db)).find((l) => l.id === link.id)).toBeUndefined();
    expect(
      (await listLinks(store.db, { includeArchived: true })).find((l) => l.id === link.id)?.archivedAt,
    ).toBe(T0 + 1);
  });

  it('writes clicks with their hourly rollups and answers stats from both', async () => {
    const linkId = 4242;
    const hour2 = T0 + 3_600_000;
    await store.db.transaction().execute(async (trx) => {
      await insertClicks(trx, [
        click(1001, linkId, T0),
        click(1002, linkId, T0 + 1000, { qr: true }),
        click(1003, linkId, T0 + 2000, {
          bot: true,
          botReason: 'preview:whatsapp',
          device: 'bot',
          browser: null,
        }),
      ]);
    });
    await store.db.transaction().execute(async (trx) => {
      await insertClicks(trx, [
        click(1004, linkId, hour2, { device: 'desktop', browser: 'Chrome', referrerHost: null }),
        click(1005, linkId, T0 + 3000),
      ]);
    });
    // The second batch added to the first batch's rollup row instead of making a new one.
    const rollups = await store.db
      .selectFrom('click_rollups')
      .selectAll()
      .where('link_id', '=', linkId)
      .execute();
    expect(rollups.length).toBe(4);
    expect(rollups.reduce((s, r) => s + Number(r.clicks), 0)).toBe(5);

    expect(await countHumanClicks(store.db, linkId)).toBe(4);
    const stats = await clickStats(store.db, linkId, T0 - 60_000, hour2 + 60_000);
    expect(stats).toMatchObject({ clicks: 5, humanClicks: 4, botClicks: 1, qrScans: 1, uniqueVisitors: 2 });
    expect(stats.byDevice).toEqual({ mobile: 3, desktop: 1 });
    expect(stats.byBrowser).toEqual({ 'Mobile Safari': 3, Chrome: 1 });
    expect(stats.byReferrer).toEqual({ 'instagram.com': 3, '(none)': 1 });
    expect(stats.byDay).toEqual([{ day: '2026-11-01', clicks: 5, humanClicks: 4 }]);

    const page1 = await listClicks(store.db, { linkId, limit: 2 });
    expect(page1.map((c) => c.id)).toEqual([1001, 1002]);
    const page2 = await listClicks(store.db, { linkId, after: 1002, limit: 10 });
    expect(page2.map((c) => c.id)).toEqual([1003, 1004, 1005]);
    expect(page2[0]).toMatchObject({ bot: true, botReason: 'preview:whatsapp', device: 'bot' });
  });

  it('keeps daily rollups equal to the hourly ones, and counts partial days from the hours', async () => {
    const linkId = 4343;
    const DAY = 86_400_000;
    const day0 = T0 - (T0 % DAY);
    // Through the adapter's own write path (SQLite: the prepared statements of the journal).
    const batch: ClickRecord[] = [];
    for (let i = 0; i < 72; i += 1) {
      // One click every hour for three days from 00:30, every fifth from a bot.
      batch.push(click(5000 + i, linkId, day0 + i * 3_600_000 + 1_800_000, { bot: i % 5 === 0 }));
    }
    await store.writeClicks(batch.slice(0, 40));
    await store.writeClicks(batch.slice(40));
    const daily = await store.db
      .selectFrom('click_rollups_daily')
      .select(['day', 'bot', 'clicks'])
      .where('link_id', '=', linkId)
      .orderBy('day')
      .orderBy('bot')
      .execute();
    const expected = (d: number, bot: boolean) =>
      batch.filter((c) => c.at >= day0 + d * DAY && c.at < day0 + (d + 1) * DAY && c.bot === bot).length;
    expect(daily.map((r) => [Number(r.day), r.bot, Number(r.clicks)])).toEqual(
      [0, 1, 2].flatMap((d) => [
        [day0 + d * DAY, 0, expected(d, false)],
        [day0 + d * DAY, 1, expected(d, true)],
      ]),
    );
    expect(await countHumanClicks(store.db, linkId)).toBe(batch.filter((c) => !c.bot).length);

    // From 06:00 on day 0 to 18:00 on day 2: the partial days come from the hours.
    const from = day0 + 6 * 3_600_000;
    const to = day0 + 2 * DAY + 18 * 3_600_000;
    const humans = (a: number, b: number) => batch.filter((c) => !c.bot && c.at >= a && c.at < b).length;
    const byDay = await humanClicksByLink(store.db, { from, to, byDay: true, linkIds: [linkId] });
    // Per link and day: one row a day, whichever table it came from.
    const perDay = new Map<number, number>();
    for (const r of byDay) perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.clicks);
    expect([...perDay].sort((a, b) => a[0] - b[0])).toEqual([
      [day0, humans(from, day0 + DAY)],
      [day0 + DAY, humans(day0 + DAY, day0 + 2 * DAY)],
      [day0 + 2 * DAY, humans(day0 + 2 * DAY, to)],
    ]);
    const total = await humanClicksByLink(store.db, { from, to, byDay: false, linkIds: [linkId] });
    expect(total.reduce((s, r) => s + r.clicks, 0)).toBe(humans(from, to));
    // Within one day: hours only.
    const inDay = await humanClicksByLink(store.db, {
      from: day0 + DAY + 3_600_000,
      to: day0 + DAY + 5 * 3_600_000,
      byDay: false,
      linkIds: [linkId],
    });
    expect(inDay.reduce((s, r) => s + r.clicks, 0)).toBe(
      humans(day0 + DAY + 3_600_000, day0 + DAY + 5 * 3_600_000),
    );
  });

  it('reserves disjoint blocks of click numbers', async () => {
    const a = await reserveSequenceBlock(store.db, 'click', 100);
    const b = await reserveSequenceBlock(store.db, 'click', 100);
    expect(a).toBe(1);
    expect(b).toBe(101);
    const parallel = await Promise.all([1, 2, 3, 4].map(() => reserveSequenceBlock(store.db, 'click', 10)));
    expect(new Set(parallel).size).toBe(4);
  });

  it('creates a setting once and keeps the first value', async () => {
    expect(await getOrCreateSetting(store.db, 'ref_secret', () => 'first')).toBe('first');
    expect(await getOrCreateSetting(store.db, 'ref_secret', () => 'second')).toBe('first');
  });

  it('keeps one salt per day and deletes old days', async () => {
    const s1 = await getDailySalt(store.db, '2026-11-01', '2026-11-01', () => 'salt-a');
    expect(await getDailySalt(store.db, '2026-11-01', '2026-11-01', () => 'salt-b')).toBe(s1);
    await getDailySalt(store.db, '2026-11-02', '2026-11-02', () => 'salt-c');
    const days = await store.db.selectFrom('daily_salts').select('day').execute();
    expect(days.map((d) => d.day)).toEqual(['2026-11-02']);
  });

  it('records landing visits with UTM values', async () => {
    await insertVisit(store.db, {
      at: T0,
      linkId: 1,
      clickId: 1001,
      visitorHash: 'v',
      url: 'https://shop.example/spring',
      referrerHost: null,
      utm: { source: 'sms', campaign: 'spring_sale' },
    });
    expect(await countVisits(store.db, { from: T0, to: T0 + 1 })).toBe(1);
    expect(await countVisits(store.db, { linkId: 2, from: T0, to: T0 + 1 })).toBe(0);
  });
});
