import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, dropTestSchemas } from '../../../test/support/services.js';
import { insertCampaign } from '../campaigns.repository.js';
import { attachIdentity, identitiesOf, insertContact, resolveContact } from '../contacts.repository.js';
import { LostRace } from '../retry.js';
import { listCosts, upsertCost } from '../costs.repository.js';
import type { StoreDb } from '../dialect.js';
import { getDiscountCode, insertDiscountCode, redeemDiscountCode } from '../discount-codes.repository.js';
import { hasChatStarted, insertEvent, listEvents, type NewEvent } from '../events.repository.js';
import { insertExposures, listExposures } from '../exposures.repository.js';
import { isUniqueViolation } from '../db.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0);

const event = (key: string, extra: Partial<NewEvent> = {}): NewEvent => ({
  type: 'purchase',
  occurredAt: T0,
  receivedAt: T0 + 5,
  idempotencyKey: key,
  source: 'api',
  contactId: null,
  clickId: null,
  linkId: null,
  campaignId: null,
  discountCodeId: null,
  value: null,
  reentry: false,
  properties: null,
  ...extra,
});

describeEachBackend('store contract: contacts, events, codes, exposures, costs', (backend) => {
  let store: StoreDb;
  let campaignId: number;
  beforeAll(async () => {
    if (backend.skipReason) return;
    store = await backend.open();
    const campaign = await insertCampaign(
      store.db,
      {
        slug: 'contract',
        name: 'Contract',
        owner: 'x',
        channels: [],
        utm: {},
        budgetCap: null,
        startsAt: null,
        endsAt: null,
        rollbackCriteria: null,
        notes: null,
        primaryConversion: 'purchase',
      },
      T0,
    );
    campaignId = campaign.id;
  });
  afterAll(async () => {
    await store?.close();
    await dropTestSchemas();
  });

  it('resolves one contact from any of its identities and attaches the new ones', async () => {
    const a = await resolveContact(store.db, [{ kind: 'telegram', value: '123456789' }], T0);
    const b = await resolveContact(
      store.db,
      [
        { kind: 'email', value: 'h:alice' },
        { kind: 'telegram', value: '123456789' },
      ],
      T0,
    );
    expect(b).toBe(a);
    expect(await resolveContact(store.db, [{ kind: 'email', value: 'h:alice' }], T0)).toBe(a);
    expect((await identitiesOf(store.db, a)).map((i) => i.kind).sort()).toEqual(['email', 'telegram']);
    expect(await resolveContact(store.db, [{ kind: 'telegram', value: '999' }], T0)).not.toBe(a);
  });

  it('refuses to make a second contact for an identity someone has, leaving no contact behind', async () => {
    const owner = await resolveContact(store.db, [{ kind: 'external', value: 'crm-race' }], T0);
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    // What a writer that read "nobody has it" before the winner committed would do: it loses the
    // race, and its transaction (with the contact it inserted) is rolled back to be run again.
    await expect(
      store.db.transaction().execute((trx) =>
        insertContact(
          trx,
          [
            { kind: 'email', value: 'h:new' },
            { kind: 'external', value: 'crm-race' },
          ],
          T0,
        ),
      ),
    ).rejects.toBeInstanceOf(LostRace);
    expect(await count()).toBe(before);
    // Attaching a taken identity to another contact leaves it with its owner, and says so.
    const other = await resolveContact(store.db, [{ kind: 'external', value: 'crm-other' }], T0);
    expect(await attachIdentity(store.db, other, { kind: 'external', value: 'crm-race' }, T0)).toBe(owner);
  });

  it('records an event once per idempotency key and returns the original on a retry', async () => {
    const first = await insertEvent(
      store.db,
      event('order-1', { value: { amount: 8500, currency: 'USD' }, properties: { sku: 'A' }, campaignId }),
    );
    expect(first.created).toBe(true);
    expect(first.event).toMatchObject({ value: { amount: 8500, currency: 'USD' }, properties: { sku: 'A' } });
    const again = await insertEvent(store.db, event('order-1', { value: { amount: 1, currency: 'EUR' } }));
    expect(again.created).toBe(false);
    expect(again.event).toEqual(first.event);
    expect(await listEvents(store.db, { campaignId, types: ['purchase'] })).toHaveLength(1);
  });

  it('tells a first chat from a re-entry per contact and campaign', async () => {
    const contact = await resolveContact(store.db, [{ kind: 'viber', value: 'u1' }], T0);
    expect(await hasChatStarted(store.db, contact, campaignId)).toBe(false);
    await insertEvent(store.db, event('viber:1', { type: 'chat_started', contactId: contact, campaignId }));
    expect(await hasChatStarted(store.db, contact, campaignId)).toBe(true);
    expect(await hasChatStarted(store.db, contact, null)).toBe(false);
  });

  it('redeems a single-use discount code once, and a multi-use code many times', async () => {
    const single = await insertDiscountCode(
      store.db,
      { code: ' spring10 ', campaignId, linkId: null, singleUse: true, validFrom: null, validTo: null },
      T0,
    );
    expect(single.code).toBe('SPRING10');
    expect((await getDiscountCode(store.db, 'Spring10'))?.id).toBe(single.id);
    const [a, b] = await Promise.all([
      redeemDiscountCode(store.db, single.id),
      redeemDiscountCode(store.db, single.id),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const multi = await insertDiscountCode(
      store.db,
      { code: 'WELCOME', campaignId: null, linkId: null, singleUse: false, validFrom: null, validTo: null },
      T0,
    );
    await redeemDiscountCode(store.db, multi.id);
    expect((await redeemDiscountCode(store.db, multi.id))?.redemptions).toBe(2);
    const dup = await insertDiscountCode(
      store.db,
      { code: 'welcome', campaignId: null, linkId: null, singleUse: false, validFrom: null, validTo: null },
      T0,
    ).catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
  });

  it('records exposures once per idempotency key', async () => {
    const contact = await resolveContact(store.db, [{ kind: 'phone', value: 'h:+447911123456' }], T0);
    const rows = [1, 2, 1].map((n) => ({
      contactId: contact,
      campaignId,
      linkId: null,
      channel: 'sms',
      sentAt: T0 + n,
      idempotencyKey: `sms:${n}`,
    }));
    expect(await insertExposures(store.db, rows)).toBe(2);
    expect(await insertExposures(store.db, rows)).toBe(0);
    expect((await listExposures(store.db, contact)).map((e) => e.sentAt)).toEqual([T0 + 1, T0 + 2]);
  });

  it('keeps one cost row per campaign, day and currency (the last import wins)', async () => {
    await upsertCost(
      store.db,
      {
        campaignId,
        day: '2026-11-01',
        spend: { amount: 100, currency: 'USD' },
        impressions: 10,
        reach: null,
      },
      T0,
    );
    await upsertCost(
      store.db,
      { campaignId, day: '2026-11-01', spend: { amount: 250, currency: 'USD' }, impressions: 40, reach: 30 },
      T0,
    );
    await upsertCost(
      store.db,
      {
        campaignId,
        day: '2026-11-01',
        spend: { amount: 90, currency: 'EUR' },
        impressions: null,
        reach: null,
      },
      T0,
    );
    await upsertCost(
      store.db,
      {
        campaignId,
        day: '2026-11-03',
        spend: { amount: 5, currency: 'USD' },
        impressions: null,
        reach: null,
      },
      T0,
    );
    const costs = await listCosts(store.db, campaignId, '2026-11-01', '2026-11-02');
    expect(costs.map((c) => [c.day, c.spend.amount, c.spend.currency, c.impressions, c.reach])).toEqual([
      ['2026-11-01', 90, 'EUR', null, null],
      ['2026-11-01', 250, 'USD', 40, 30],
    ]);
  });
});
