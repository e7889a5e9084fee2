import { afterAll, beforeAll, expect, it } from 'vitest';
import { refreshEventTouches } from '../../src/store/touches.repository.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const RANGE = 'from=2026-11-01&to=2026-11-30';

/**
 * Reports read each conversion's touches as they were stored when its events arrived
 * (store/touches.repository.ts). These tests change the touches after the conversion — a send
 * imported late, a link moved to another campaign — and check the reports follow, and that the
 * stored touches always equal a rebuild from scratch.
 */
describeEachBackend('reports: touches that arrive after the conversion', (backend) => {
  let t: TestServer;
  let spring: { id: number; slug: string };
  let sms: { id: number; slug: string };
  let autumn: { id: number; slug: string };
  let springLink: { id: number; code: string };

  const attribution = async (query: string) => {
    const response = await t.call('GET', `/api/reports/attribution?${RANGE}&groupBy=campaign&${query}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    return {
      body,
      credited: Object.fromEntries(
        body.rows.map((r: { key: string; credited: number }) => [r.key, r.credited]),
      ),
    };
  };
  const events = async (items: unknown[]) => {
    const response = await t.call('POST', '/api/events', items);
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toBe(0);
  };
  const storedTouches = async () =>
    (
      await t.server.store.db
        .selectFrom('event_touches')
        .selectAll()
        .orderBy('event_id')
        .orderBy('touch_kind')
        .orderBy('touch_id')
        .orderBy('filed_under')
        .execute()
    ).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])),
    );

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, {}, { now: NOW });
    spring = (await t.call('POST', '/api/campaigns', { name: 'Spring', owner: 'ana' })).json();
    sms = (await t.call('POST', '/api/campaigns', { name: 'SMS blast', owner: 'bo' })).json();
    autumn = (await t.call('POST', '/api/campaigns', { name: 'Autumn', owner: 'bo' })).json();
    springLink = (
      await t.call('POST', '/api/links', {
        campaignId: spring.id,
        channel: 'telegram',
        target: { username: 'acme_support_bot' },
      })
    ).json();
    // Two people click the Spring link and start a chat; both buy an hour later.
    for (const person of ['u1', 'u2']) {
      const ref = await t.click(springLink.code);
      await events([
        {
          type: 'chat_started',
          occurredAt: at(1),
          idempotencyKey: `chat-${person}`,
          ref,
          contact: { externalId: person },
        },
        {
          type: 'purchase',
          occurredAt: at(60),
          idempotencyKey: `buy-${person}`,
          contact: { externalId: person },
          value: { amount: 5000, currency: 'USD' },
        },
      ]);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('credits a send imported after the purchase (billboard), and the stored touches equal a rebuild', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const before = await attribution('model=billboard');
    // spec/metrics.md §2, billboard: only campaigns *sent* to the contact are eligible; nothing was sent yet.
    expect(before.body.unattributed.count).toBe(2);
    expect(before.credited[sms.slug] ?? 0).toBe(0);

    // The SMS tool's export arrives the next day: u1 got the blast 2 hours before buying.
    const sent = await t.call('POST', '/api/exposures', [
      { contact: { externalId: 'u1' }, campaignId: sms.id, channel: 'sms', sentAt: at(-120) },
    ]);
    expect(sent.statusCode).toBe(201);

    const after = await attribution('model=billboard');
    expect(after.credited[sms.slug]).toBe(1);
    expect(after.body.unattributed.count).toBe(1);
    const smsOnly = (
      await t.call('GET', `/api/reports/funnel?${RANGE}&campaignId=${sms.id}&model=billboard`)
    ).json();
    expect(smsOnly.rows[0]).toMatchObject({ key: sms.slug, conversions: 1, revenue: 5000 });
    // Last touch still gives both purchases to the Spring chats (sends are not its touches).
    expect((await attribution('model=last_touch')).credited[spring.slug]).toBe(2);

    const incremental = await storedTouches();
    await refreshEventTouches(t.server.store.db, 'all');
    expect(await storedTouches()).toEqual(incremental);
  });

  it('follows a link moved to another campaign', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const forCampaign = async (id: number) =>
      (await t.call('GET', `/api/reports/funnel?${RANGE}&campaignId=${id}`)).json().rows as {
        conversions: number;
        link_clicks: number;
      }[];
    expect((await forCampaign(spring.id))[0]).toMatchObject({ link_clicks: 2, conversions: 2 });

    const moved = await t.call('PATCH', `/api/links/${springLink.id}`, { campaignId: autumn.id });
    expect(moved.statusCode).toBe(200);
    // The clicks follow their link; the purchases follow its clicks. The chat starts stay with the
    // campaign they were recorded under, so Spring keeps its chats but no click or click credit.
    expect((await forCampaign(autumn.id))[0]).toMatchObject({ link_clicks: 2 });
    // First touch: u1's first touch is the SMS sent before the click, u2's the click, now Autumn's.
    const first = await attribution('model=first_touch');
    expect(first.credited).toMatchObject({ [autumn.slug]: 1, [sms.slug]: 1 });
    expect(first.credited[spring.slug] ?? 0).toBe(0);
    const autumnFunnel = (
      await t.call('GET', `/api/reports/funnel?${RANGE}&campaignId=${autumn.id}&model=first_touch`)
    ).json();
    expect(autumnFunnel.rows[0]).toMatchObject({ conversions: 1, revenue: 5000 });

    const incremental = await storedTouches();
    await refreshEventTouches(t.server.store.db, 'all');
    expect(await storedTouches()).toEqual(incremental);
  });

  it('keeps the stored touches equal to a rebuild through a random mix of late and early writes', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const links = [springLink];
    for (const campaign of [sms, autumn]) {
      links.push(
        (
          await t.call('POST', '/api/links', {
            campaignId: campaign.id,
            channel: 'telegram',
            target: { username: 'acme_support_bot' },
          })
        ).json(),
      );
    }
    // Clicks spread over ten days before now, in random order of time.
    const refs: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      t.clock.now = NOW - rand(10 * 24 * 60) * 60_000;
      const link = links[rand(links.length)]!;
      refs.push(await t.click(link.code));
    }
    t.clock.now = NOW;
    // Batches of events and sends arriving in no particular order of the times they carry.
    for (let batch = 0; batch < 12; batch += 1) {
      const items = Array.from({ length: 1 + rand(6) }, (_, i) => {
        const person = { externalId: `r${rand(6)}` };
        const occurredAt = at(-rand(10 * 24 * 60));
        const key = `mix-${batch}-${i}`;
        switch (rand(4)) {
          case 0:
            return {
              type: 'chat_started',
              occurredAt,
              idempotencyKey: key,
              ref: refs[rand(refs.length)],
              contact: person,
            };
          case 1:
            return { type: 'qualified', occurredAt, idempotencyKey: key, clickId: refs[rand(refs.length)] };
          case 2:
            return {
              type: 'purchase',
              occurredAt,
              idempotencyKey: key,
              contact: person,
              value: { amount: 1000 + rand(9000), currency: 'USD' },
            };
          default:
            return {
              type: 'lead',
              occurredAt,
              idempotencyKey: key,
              contact: person,
              clickId: refs[rand(refs.length)],
            };
        }
      });
      await events(items);
      if (batch % 3 === 2) {
        const sent = await t.call('POST', '/api/exposures', [
          {
            contact: { externalId: `r${rand(6)}` },
            campaignId: sms.id,
            channel: 'sms',
            sentAt: at(-rand(10 * 24 * 60)),
          },
        ]);
        expect(sent.statusCode).toBe(201);
      }
    }
    const incremental = await storedTouches();
    expect(incremental.length).toBeGreaterThan(50);
    await refreshEventTouches(t.server.store.db, 'all');
    expect(await storedTouches()).toEqual(incremental);
  });

  it('keeps the stored touches equal to a rebuild when batches for one contact race', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    // On PostgreSQL the two requests run as concurrent transactions (several servers would too).
    const people = Array.from({ length: 8 }, (_, i) => `race${i}`);
    await events(
      people.map((p) => ({
        type: 'lead',
        occurredAt: at(-600),
        idempotencyKey: `${p}-lead`,
        contact: { externalId: p },
      })),
    );
    const refs: string[] = [];
    t.clock.now = NOW - 300 * 60_000;
    for (const _ of people) {
      refs.push(await t.click(springLink.code));
    }
    t.clock.now = NOW;
    await Promise.all(
      people.flatMap((p, i) => [
        events([
          {
            type: 'chat_started',
            occurredAt: at(-200),
            idempotencyKey: `${p}-chat`,
            ref: refs[i],
            contact: { externalId: p },
          },
        ]),
        events([
          {
            type: 'purchase',
            occurredAt: at(-100),
            idempotencyKey: `${p}-buy`,
            contact: { externalId: p },
            value: { amount: 1200, currency: 'USD' },
          },
        ]),
      ]),
    );
    const incremental = await storedTouches();
    await refreshEventTouches(t.server.store.db, 'all');
    expect(await storedTouches()).toEqual(incremental);
  });

  it('refuses a window longer than the touches it keeps', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const response = await t.call('GET', `/api/reports/funnel?${RANGE}&window=120d`);
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'window_too_long', field: 'window' });
    expect((await t.call('GET', `/api/reports/funnel?${RANGE}&window=90d`)).statusCode).toBe(200);
  });
});
