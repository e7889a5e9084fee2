import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import { hubSignature, whatsappTextMessage } from '../../src/webhooks/payloads.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const RANGE = 'from=2026-11-01&to=2026-11-30';

/** Each test's people get their own block of phone numbers. */
const PHONE_BLOCK = { pair: 0, same: 1000, rev: 2000, expo: 3000 } as const;

/** A new person: a UK mobile, an email and a CRM id, all three unique to `tag` and `n`. */
const person = (tag: keyof typeof PHONE_BLOCK, n: number) => ({
  externalId: `crm-${tag}-${n}`,
  email: `${tag}.${n}@example.com`,
  phone: `+447911${String(100_000 + PHONE_BLOCK[tag] + n)}`,
});

/**
 * Sends `requests` in bursts of `size` at once, each burst after the last has answered. A burst
 * keeps every pair of racing requests together (pairs are adjacent, sizes even) without asking a
 * 10-connection pool to queue hundreds of requests past its 5 s wait on a loaded machine.
 */
async function inBursts<T>(requests: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < requests.length; i += size) {
    out.push(...(await Promise.all(requests.slice(i, i + size).map((send) => send()))));
  }
  return out;
}

interface BatchResult {
  status: 'created' | 'duplicate' | 'error';
  event?: { id: number; contactId: number | null };
  error?: { code: string };
}

/**
 * Several batches about the same new person arrive at once (two servers, a webhook and the CRM's
 * import, a client's retry). On PostgreSQL they really run side by side; on SQLite the store has
 * one writer and they are serialised, and the same outcomes must hold.
 */
describeEachBackend('contacts: one person stays one contact under concurrency', (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, {}, { now: NOW });
  });
  afterAll(async () => {
    await t?.close();
  });

  const campaignWithLink = async (name: string) => {
    const campaign = (await t.call('POST', '/api/campaigns', { name, owner: 'ana' })).json();
    const link = (
      await t.call('POST', '/api/links', {
        campaignId: campaign.id,
        channel: 'telegram',
        target: { username: 'acme_support_bot' },
      })
    ).json();
    return { campaign: campaign as { id: number; slug: string }, link: link as { id: number; code: string } };
  };
  /** Sends every batch at once; answers each batch's HTTP status and item results. */
  const sendAll = async (batches: unknown[][], burst = 40) => {
    const responses = await inBursts(
      batches.map((batch) => () => t.call('POST', '/api/events', batch)),
      burst,
    );
    return responses.map((r) => ({
      statusCode: r.statusCode,
      results: r.statusCode === 200 ? (r.json().results as BatchResult[]) : [],
      body: r.body,
    }));
  };
  const db = () => t.server.store.db;
  const orphanContacts = async () =>
    Number(
      (
        await sql<{ n: number }>`select count(*) as n from contacts c
          where not exists (select 1 from identities i where i.contact_id = c.id)
            and not exists (select 1 from events e where e.contact_id = c.id)
            and not exists (select 1 from exposures x where x.contact_id = c.id)`.execute(db())
      ).rows[0]?.n,
    );
  const contactCount = async () =>
    Number(
      (
        await db()
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n,
    );
  /** Per person tag: how many contacts its identities point at. */
  const contactsPerPerson = async (prefix: string) => {
    const rows = await db()
      .selectFrom('identities')
      .select(['value', 'contact_id'])
      .where('kind', '=', 'external')
      .where('value', 'like', `crm-${prefix}-%`)
      .execute();
    return rows;
  };

  it('two concurrent batches about the same new person make one contact, and its purchases keep the click', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const { campaign, link } = await campaignWithLink('Pairs');
    const people = Array.from({ length: 100 }, (_, n) => person('pair', n));
    const refs: string[] = [];
    for (let n = 0; n < people.length; n++) refs.push(await t.click(link.code));
    // The chat webhook knows the phone and the click; the shop knows the email and CRM id, and the
    // phone. Each pair is sent at the same moment, every pair at once.
    const batches = people.flatMap((p, n) => [
      [
        {
          type: 'chat_started',
          occurredAt: at(1),
          idempotencyKey: `pair-chat-${n}`,
          ref: refs[n],
          contact: { phone: p.phone },
        },
      ],
      [
        {
          type: 'purchase',
          occurredAt: at(60),
          idempotencyKey: `pair-buy-${n}`,
          contact: p,
          value: { amount: 2500, currency: 'USD' },
        },
      ],
    ]);
    const before = await contactCount();
    const answers = await sendAll(batches);
    expect(answers.filter((a) => a.statusCode !== 200).map((a) => a.body)).toEqual([]);
    expect(answers.flatMap((a) => a.results.map((r) => r.status))).toEqual(batches.map(() => 'created'));
    expect((await contactCount()) - before).toBe(100);

    // Exactly one contact per person: its phone, email and CRM id all lead to it.
    for (let n = 0; n < people.length; n++) {
      const [chat, buy] = [answers[2 * n]?.results[0], answers[2 * n + 1]?.results[0]];
      expect(chat?.event?.contactId, `person ${n}`).toBe(buy?.event?.contactId);
      const ids = await db()
        .selectFrom('identities')
        .select(['kind', 'contact_id'])
        .where('contact_id', '=', chat?.event?.contactId ?? -1)
        .execute();
      expect(ids.map((i) => i.kind).sort(), `person ${n}`).toEqual(['email', 'external', 'phone']);
    }
    const crm = await contactsPerPerson('pair');
    expect(crm).toHaveLength(100);
    expect(new Set(crm.map((r) => r.contact_id)).size).toBe(100);
    expect(await orphanContacts()).toBe(0);

    // Every purchase is credited to the campaign of the click that started the person's chat.
    const report = (
      await t.call(
        'GET',
        `/api/reports/attribution?${RANGE}&groupBy=campaign&model=last_touch&campaignId=${campaign.id}`,
      )
    ).json();
    const credited = Object.fromEntries(
      report.rows.map((r: { key: string; credited: number }) => [r.key, r.credited]),
    );
    expect(credited[campaign.slug]).toBe(100);
    const clickTouches = await db()
      .selectFrom('event_touches')
      .innerJoin('events', 'events.id', 'event_touches.event_id')
      .select(['events.idempotency_key', 'event_touches.touch_id'])
      .where('events.idempotency_key', 'like', 'pair-buy-%')
      .where('event_touches.touch_kind', '=', 'click')
      .where('event_touches.filed_under', '=', 0)
      .execute();
    expect(clickTouches).toHaveLength(100);
  });

  it('500 identical batches at once leave one contact and no orphan contacts', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const { link } = await campaignWithLink('Identical');
    const p = person('same', 1);
    const ref = await t.click(link.code);
    const batch = [
      {
        type: 'chat_started',
        occurredAt: at(1),
        idempotencyKey: 'same-chat',
        ref,
        contact: { phone: p.phone, externalId: p.externalId },
      },
      {
        type: 'purchase',
        occurredAt: at(60),
        idempotencyKey: 'same-buy',
        contact: { email: p.email, externalId: p.externalId },
        value: { amount: 900, currency: 'EUR' },
      },
    ];
    const before = await contactCount();
    const answers = await sendAll(
      Array.from({ length: 500 }, () => batch),
      500,
    );
    expect(answers.filter((a) => a.statusCode !== 200).map((a) => a.body)).toEqual([]);
    const statuses = answers.flatMap((a) => a.results.map((r) => r.status));
    expect(statuses.filter((s) => s === 'created')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(998);
    const contacts = new Set(answers.flatMap((a) => a.results.map((r) => r.event?.contactId)));
    expect(contacts.size).toBe(1);
    expect((await contactCount()) - before).toBe(1);
    expect(await contactsPerPerson('same')).toHaveLength(1);
    expect(await orphanContacts()).toBe(0);
  });

  it('batches naming the same people in opposite orders never fail', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const { link } = await campaignWithLink('Reversed');
    const item = (n: number, ref: string) => ({
      type: 'chat_started',
      occurredAt: at(1),
      idempotencyKey: `rev-chat-${n}`,
      ref,
      contact: person('rev', n),
    });
    const batches: unknown[][] = [];
    for (let pair = 0; pair < 60; pair++) {
      const [a, b] = [2 * pair, 2 * pair + 1];
      const [refA, refB] = [await t.click(link.code), await t.click(link.code)];
      const purchase = (n: number, k: string) => ({
        type: 'purchase',
        occurredAt: at(30),
        idempotencyKey: `rev-buy-${n}-${k}`,
        contact: { email: person('rev', n).email },
        value: { amount: 100, currency: 'USD' },
      });
      // (A, B) and (B, A), each also buying for both people: the same rows in opposite orders.
      batches.push([item(a, refA), purchase(a, 'x'), item(b, refB), purchase(b, 'y')]);
      batches.push([item(b, refB), purchase(b, 'x'), item(a, refA), purchase(a, 'y')]);
    }
    const before = await contactCount();
    const answers = await sendAll(batches);
    expect(answers.filter((a) => a.statusCode !== 200).map((a) => `${a.statusCode} ${a.body}`)).toEqual([]);
    expect(answers.flatMap((a) => a.results.filter((r) => r.status === 'error'))).toEqual([]);
    const crm = await contactsPerPerson('rev');
    expect((await contactCount()) - before).toBe(120);
    expect(crm).toHaveLength(120);
    expect(new Set(crm.map((r) => r.contact_id)).size).toBe(120);
    expect(await orphanContacts()).toBe(0);
  });

  it('a send imported while a chat about the same new people is recorded joins the same contact', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const { campaign, link } = await campaignWithLink('Sends');
    const before = await contactCount();
    const requests = [];
    for (let pair = 0; pair < 40; pair++) {
      const [a, b] = [person('expo', 2 * pair), person('expo', 2 * pair + 1)];
      const [refA, refB] = [await t.click(link.code), await t.click(link.code)];
      const chat = (p: typeof a, ref: string) => ({
        type: 'chat_started',
        occurredAt: at(1),
        idempotencyKey: `expo-chat-${p.externalId}`,
        ref,
        contact: { phone: p.phone, email: p.email },
      });
      const send = (p: typeof a) => ({
        contact: { email: p.email, phone: p.phone, externalId: p.externalId },
        campaignId: campaign.id,
        channel: 'sms',
        sentAt: at(-30),
      });
      // The SMS tool's export names (A, B); the chat webhooks arrive as (B, A).
      requests.push(
        () => t.call('POST', '/api/exposures', [send(a), send(b)]),
        () => t.call('POST', '/api/events', [chat(b, refB), chat(a, refA)]),
      );
    }
    const answers = await inBursts(requests, 40);
    expect(answers.filter((r) => r.statusCode >= 300).map((r) => `${r.statusCode} ${r.body}`)).toEqual([]);
    expect((await contactCount()) - before).toBe(80);
    const crm = await contactsPerPerson('expo');
    expect(crm).toHaveLength(80);
    expect(new Set(crm.map((r) => r.contact_id)).size).toBe(80);
    expect(await orphanContacts()).toBe(0);
  });

  it('concurrent retries of a purchase with a single-use code answer duplicate, not discount_code_used', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const { campaign } = await campaignWithLink('Codes');
    const code = await t.call('POST', '/api/discount-codes', {
      code: 'ONCE-ONLY',
      campaignId: campaign.id,
      singleUse: true,
    });
    expect(code.statusCode).toBe(201);
    const purchase = {
      type: 'purchase',
      occurredAt: at(5),
      idempotencyKey: 'order-1001',
      discountCode: 'once-only',
      contact: { email: 'buyer@example.com' },
      value: { amount: 4200, currency: 'USD' },
    };
    // The shop's retries, one event at a time and as batches, all at once.
    const singles = Array.from({ length: 30 }, () => t.call('POST', '/api/events', purchase));
    const batches = Array.from({ length: 30 }, () => t.call('POST', '/api/events', [purchase]));
    const [one, many] = [await Promise.all(singles), await Promise.all(batches)];
    const outcomes = [
      ...one.map((r) =>
        r.statusCode === 201 ? 'recorded' : r.json().duplicate === true ? 'duplicate' : r.body,
      ),
      ...many.map((r) => {
        const result = r.json().results?.[0] as BatchResult | undefined;
        return result?.status === 'created' ? 'recorded' : (result?.status ?? r.body);
      }),
    ];
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'recorded')).toEqual(Array(59).fill('duplicate'));
    const stored = await db()
      .selectFrom('discount_codes')
      .select('redemptions')
      .where('code', '=', 'ONCE-ONLY')
      .executeTakeFirstOrThrow();
    expect(stored.redemptions).toBe(1);
  });
});

describeEachBackend('contacts: big batches at once', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend, {}, { now: NOW });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records four batches of 300 new people at once (more keys than one transaction may lock), beside small batches about the same people', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const who = (b: number, n: number) => ({
      externalId: `big-${b}-${n}`,
      email: `big.${b}.${n}@example.com`,
    });
    const big = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 300 }, (_, n) => ({
        type: 'lead',
        occurredAt: at(1),
        idempotencyKey: `big-${b}-${n}`,
        contact: who(b, n),
      })),
    );
    // The shop reports purchases of some of them by email alone, one at a time, meanwhile.
    const small = Array.from({ length: 100 }, (_, i) => [
      {
        type: 'purchase',
        occurredAt: at(2),
        idempotencyKey: `small-${i}`,
        contact: { email: who(i % 4, i).email },
        value: { amount: 100, currency: 'USD' },
      },
    ]);
    const answers = await Promise.all(
      [...big, ...small].map((batch) => t.call('POST', '/api/events', batch)),
    );
    expect(answers.map((a) => (a.statusCode === 200 ? a.json().created : a.body))).toEqual([
      ...big.map((batch) => batch.length),
      ...small.map(() => 1),
    ]);
    const identities = await t.server.store.db
      .selectFrom('identities')
      .select((eb) => [
        eb.fn.count<number>('contact_id').distinct().as('contacts'),
        eb.fn.countAll<number>().as('n'),
      ])
      .executeTakeFirstOrThrow();
    // One contact per person, whichever of its two batches made it.
    expect(Number(identities.n)).toBe(2400);
    expect(Number(identities.contacts)).toBe(1200);
  }, 60_000);

  it('imports 2 × 300 sends at once beside chats about the same new people, one contact each', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const before = await t.server.store.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const who = (n: number) => ({ externalId: `send-${n}`, email: `send.${n}@example.com` });
    const imports = [0, 1].map((half) =>
      Array.from({ length: 300 }, (_, i) => ({ contact: who(half * 300 + i), sentAt: at(-60) })),
    );
    const chats = Array.from({ length: 100 }, (_, i) => [
      {
        type: 'lead',
        occurredAt: at(3),
        idempotencyKey: `send-lead-${i}`,
        contact: { email: who(i * 6).email },
      },
    ]);
    const answers = await Promise.all([
      ...imports.map((body) => t.call('POST', '/api/exposures', body)),
      ...chats.map((batch) => t.call('POST', '/api/events', batch)),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, ...chats.map(() => 200)]);
    expect(answers.slice(0, 2).map((a) => a.json().created)).toEqual([300, 300]);
    const after = await t.server.store.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(600);
    // Each person's CRM id and email are on one contact: the lead found the send's contact or
    // the send found the lead's.
    const both = await sql<{ n: number }>`select count(*) as n from identities x
        join identities m on m.contact_id = x.contact_id and m.kind = 'email'
        where x.kind = 'external' and x.value like 'send-%'`.execute(t.server.store.db);
    expect(Number(both.rows[0]?.n)).toBe(600);
  }, 60_000);
});

/** spec/channels.md §1.6: a WhatsApp Cloud API text message from `from` (digits). */
const whatsappMessage = (text: string, id: string, from: string) => whatsappTextMessage(text, id, from);

describeEachBackend('contacts: a chat webhook and the shop at the same moment', (backend) => {
  const SECRET = 'wa-app-secret';
  let t: TestServer;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(
      backend,
      { WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: 'v' },
      { now: NOW },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a WhatsApp chat start and a purchase by phone about a new person make one contact', async (ctx) => {
    if (backend.skipReason) return ctx.skip(backend.skipReason);
    const campaign = (await t.call('POST', '/api/campaigns', { name: 'WhatsApp', owner: 'ana' })).json();
    const link = (
      await t.call('POST', '/api/links', {
        campaignId: campaign.id,
        channel: 'whatsapp',
        target: { phone: '+15550783881' },
      })
    ).json();
    const requests = [];
    for (let n = 0; n < 50; n++) {
      const token = await t.click(link.code);
      const digits = `447911${String(105_000 + n)}`;
      const body = JSON.stringify(
        whatsappMessage(
          `Hi! I'd like the offer (ref ${token.slice(0, 4)}-${token.slice(4)})`,
          `wamid.c${n}`,
          digits,
        ),
      );
      requests.push(
        () =>
          t.server.app.inject({
            method: 'POST',
            url: '/webhooks/whatsapp',
            payload: body,
            headers: {
              'content-type': 'application/json',
              'x-hub-signature-256': hubSignature(body, SECRET),
            },
          }),
        () =>
          t.call('POST', '/api/events', {
            type: 'purchase',
            occurredAt: at(60),
            idempotencyKey: `wa-buy-${n}`,
            contact: { phone: `+${digits}`, email: `wa.${n}@example.com` },
            value: { amount: 1200, currency: 'USD' },
          }),
      );
    }
    const answers = await inBursts(requests, 40);
    expect(answers.filter((r) => r.statusCode >= 300).map((r) => `${r.statusCode} ${r.body}`)).toEqual([]);
    const people = await t.server.store.db
      .selectFrom('identities')
      .select((eb) => [
        eb.fn.count<number>('contact_id').distinct().as('contacts'),
        eb.fn.countAll<number>().as('n'),
      ])
      .executeTakeFirstOrThrow();
    // A hashed phone and an email per person, all 50 people on 50 contacts.
    expect(Number(people.n)).toBe(100);
    expect(Number(people.contacts)).toBe(50);
    const report = (
      await t.call(
        'GET',
        `/api/reports/attribution?${RANGE}&groupBy=campaign&model=last_touch&campaignId=${campaign.id}`,
      )
    ).json();
    expect(report.rows.find((r: { key: string }) => r.key === campaign.slug)?.credited).toBe(50);
  });
});
