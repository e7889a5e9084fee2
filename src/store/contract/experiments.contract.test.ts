import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, dropTestSchemas } from '../../../test/support/services.js';
import { insertCampaign } from '../campaigns.repository.js';
import { type ClickRecord, insertClicks } from '../clicks.repository.js';
import type { StoreDb } from '../dialect.js';
import { insertEvent, type NewEvent } from '../events.repository.js';
import {
  countFunnel,
  getExperiment,
  insertBaseline,
  insertExperiment,
  latestBaseline,
  listExperiments,
  listReviewNotes,
  upsertReviewNotes,
} from '../experiments.repository.js';
import { insertLink } from '../links.repository.js';
import { insertVisit } from '../visits.repository.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 9, 0);

const click = (id: number, linkId: number, at: number, bot = false): ClickRecord => ({
  id,
  linkId,
  at,
  visitorHash: `v${id}`,
  device: 'mobile',
  os: null,
  browser: null,
  referrerHost: null,
  qr: false,
  bot,
  botReason: bot ? 'preview' : null,
  country: null,
  adIds: null,
});

let keys = 0;
const event = (
  type: string,
  linkId: number | null,
  campaignId: number,
  at: number,
  reentry = false,
): NewEvent => ({
  type,
  occurredAt: at,
  receivedAt: at,
  idempotencyKey: `k${(keys += 1)}`,
  source: 'api',
  contactId: null,
  clickId: null,
  linkId,
  campaignId,
  discountCodeId: null,
  value: null,
  reentry,
  properties: null,
});

describeEachBackend('store contract: experiments, baselines, reviews, funnel counts', (backend) => {
  let store: StoreDb;
  let campaignId: number;
  let otherCampaignId: number;
  let linkA: number;
  let linkB: number;
  let linkOther: number;

  beforeAll(async () => {
    if (backend.skipReason) return;
    store = await backend.open();
    const campaign = (slug: string) =>
      insertCampaign(
        store.db,
        {
          slug,
          name: slug,
          owner: 'x',
          channels: [],
          utm: {},
          budgetCap: null,
          startsAt: null,
          endsAt: null,
          rollbackCriteria: null,
          notes: null,
          primaryConversion: 'booking',
        },
        T0,
      );
    campaignId = (await campaign('exp-contract')).id;
    otherCampaignId = (await campaign('exp-other')).id;
    const link = async (code: string, owner: number) =>
      (
        await insertLink(
          store.db,
          {
            code,
            campaignId: owner,
            channel: 'telegram',
            target: { username: 'acme_bot' },
            text: null,
            utm: {},
            variant: null,
            expiresAt: null,
            maxClicks: null,
            createdBy: null,
          },
          T0,
        )
      ).id;
    linkA = await link('expa', campaignId);
    linkB = await link('expb', campaignId);
    linkOther = await link('expo', otherCampaignId);
  });
  afterAll(async () => {
    await store?.close();
    await dropTestSchemas();
  });

  it('stores an experiment and reads it back with its link groups, split and thresholds', async () => {
    const fields = {
      campaignId,
      name: 'Greeting',
      decisionMetric: 'conversion_rate',
      baselineLinkIds: [linkA],
      variantLinkIds: [linkB],
      expectedWeights: [75, 25] as [number, number],
      minConversions: 150,
      plannedSampleSize: 3841,
      minimumEffect: 0.025,
      rollbackThreshold: 0.1,
    };
    const created = await insertExperiment(store.db, fields, T0);
    expect(created).toEqual({ ...fields, id: expect.any(Number), createdAt: T0 });
    expect(await getExperiment(store.db, created.id)).toEqual(created);
    const plain = await insertExperiment(
      store.db,
      { ...fields, name: 'No split', expectedWeights: null, plannedSampleSize: null, minimumEffect: 0 },
      T0 + 1,
    );
    expect(plain).toMatchObject({ expectedWeights: null, plannedSampleSize: null, minimumEffect: 0 });
    expect((await listExperiments(store.db, campaignId)).map((e) => e.name)).toEqual([
      'Greeting',
      'No split',
    ]);
    expect(await listExperiments(store.db, otherCampaignId)).toEqual([]);
    expect(await getExperiment(store.db, 999_999)).toBeUndefined();
  });

  it('keeps every baseline snapshot and answers the latest', async () => {
    expect(await latestBaseline(store.db, campaignId)).toBeUndefined();
    await insertBaseline(store.db, campaignId, { conversion_rate: 0.1, chats_started: 200 }, T0);
    const later = await insertBaseline(
      store.db,
      campaignId,
      { conversion_rate: 0.12, chats_started: 250 },
      T0 + HOUR,
    );
    await insertBaseline(store.db, otherCampaignId, { conversion_rate: 0.5 }, T0 + 2 * HOUR);
    expect(await latestBaseline(store.db, campaignId)).toEqual({
      id: later.id,
      campaignId,
      takenAt: T0 + HOUR,
      metrics: { conversion_rate: 0.12, chats_started: 250 },
    });
  });

  it('keeps one notes row per campaign and review day: a second write replaces the first', async () => {
    await upsertReviewNotes(store.db, { campaignId, day: 7, notes: 'first look' }, T0);
    await upsertReviewNotes(store.db, { campaignId, day: 3, notes: 'pixel missing' }, T0 + 1);
    const replaced = await upsertReviewNotes(
      store.db,
      { campaignId, day: 7, notes: 'creative fatigue' },
      T0 + 2,
    );
    expect(replaced).toEqual({ campaignId, day: 7, notes: 'creative fatigue', updatedAt: T0 + 2 });
    await upsertReviewNotes(store.db, { campaignId: otherCampaignId, day: 3, notes: 'other' }, T0);
    expect(await listReviewNotes(store.db, campaignId)).toEqual([
      { campaignId, day: 3, notes: 'pixel missing', updatedAt: T0 + 1 },
      { campaignId, day: 7, notes: 'creative fatigue', updatedAt: T0 + 2 },
    ]);
  });

  it('counts a link group’s and a campaign’s funnel over [from, to): human clicks, first chats, conversions', async () => {
    await insertClicks(store.db, [
      click(1, linkA, T0),
      click(2, linkA, T0 + 10),
      click(3, linkA, T0 + 20, true), // a bot: never a click
      click(4, linkB, T0 + 30),
      click(5, linkA, T0 + 5 * HOUR), // outside [T0, T0 + 2h)
      click(6, linkOther, T0),
    ]);
    const visit = (linkId: number | null, utmCampaign: string | undefined, at = T0) =>
      insertVisit(store.db, {
        at,
        linkId,
        clickId: null,
        visitorHash: null,
        url: null,
        referrerHost: null,
        utm: utmCampaign ? { campaign: utmCampaign } : {},
      });
    await visit(linkA, undefined);
    await visit(linkB, undefined);
    await visit(null, 'exp-contract'); // the campaign's by its slug, no link
    await visit(null, 'exp-other');
    const events = [
      event('chat_started', linkA, campaignId, T0),
      event('chat_started', linkA, campaignId, T0 + 1, true), // a re-entry is not a new chat
      event('chat_started', linkB, campaignId, T0 + 2),
      event('chat_started', null, campaignId, T0 + 3), // the campaign's, through no link
      event('qualified', linkA, campaignId, T0 + 4),
      event('booking', linkA, campaignId, T0 + 5),
      event('purchase', linkA, campaignId, T0 + 6), // not this campaign's primary conversion
      event('booking', linkB, campaignId, T0 + 3 * HOUR), // outside
      event('booking', linkOther, otherCampaignId, T0),
    ];
    for (const e of events) await insertEvent(store.db, e);

    const from = T0;
    const to = T0 + 2 * HOUR;
    expect(await countFunnel(store.db, { linkIds: [linkA] }, from, to, 'booking')).toEqual({
      link_clicks: 2,
      landing_visits: 1,
      chats_started: 1,
      qualified: 1,
      conversions: 1,
    });
    expect(await countFunnel(store.db, { linkIds: [linkA, linkB] }, from, to, 'purchase')).toEqual({
      link_clicks: 3,
      landing_visits: 2,
      chats_started: 2,
      qualified: 1,
      conversions: 1,
    });
    expect(await countFunnel(store.db, { campaignId }, from, to, 'booking')).toEqual({
      link_clicks: 3,
      landing_visits: 3,
      chats_started: 3,
      qualified: 1,
      conversions: 1,
    });
    expect(await countFunnel(store.db, { campaignId }, from, T0 + 6 * HOUR, 'booking')).toMatchObject({
      link_clicks: 4,
      conversions: 2,
    });
    expect(await countFunnel(store.db, { linkIds: [] }, from, to, 'booking')).toEqual({
      link_clicks: 0,
      landing_visits: 0,
      chats_started: 0,
      qualified: 0,
      conversions: 0,
    });
  });
});
