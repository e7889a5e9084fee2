import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeRefToken, parseRefToken } from '../../src/domain/ref-token.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const WHATSAPP_PREVIEW = 'WhatsApp/2.23.20.0 A';

describeEachBackend('campaigns, links and the redirect', (backend) => {
  let t: TestServer;
  let campaignId: number;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    const created = await t.call('POST', '/api/campaigns', {
      name: 'Spring Sale 2026',
      owner: 'ana',
      channels: ['whatsapp'],
      utm: { source: 'instagram' },
      budgetCap: { amount: 600000, currency: 'USD' },
    });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
  });
  afterAll(async () => t?.close());

  const follow = (
    code: string,
    ua = IPHONE,
    extra: { method?: 'GET' | 'HEAD'; query?: string; referer?: string } = {},
  ) =>
    t.server.app.inject({
      method: extra.method ?? 'GET',
      url: `/${code}${extra.query ?? ''}`,
      headers: { 'user-agent': ua, ...(extra.referer ? { referer: extra.referer } : {}) },
      remoteAddress: '203.0.113.7',
    });

  async function clicksOf(linkId: number) {
    return t.server.store.db
      .selectFrom('clicks')
      .selectAll()
      .where('link_id', '=', linkId)
      .orderBy('id')
      .execute();
  }

  describe('campaigns', () => {
    it('derives the slug from the name with the UTM naming convention', async () => {
      const campaign = (await t.call('GET', `/api/campaigns/${campaignId}`)).json();
      expect(campaign).toMatchObject({
        slug: 'spring_sale_2026',
        name: 'Spring Sale 2026',
        budgetCap: { amount: 600000, currency: 'USD' },
      });
    });

    it('refuses a slug that breaks the convention (422, with the fix) and a taken one (409)', async () => {
      const bad = await t.call('POST', '/api/campaigns', { name: 'X', owner: 'y', slug: 'Spring Sale!' });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error).toMatchObject({ code: 'invalid_slug', field: 'slug' });
      expect(bad.json().error.message).toContain('spring_sale');
      const taken = await t.call('POST', '/api/campaigns', { name: 'Spring Sale 2026', owner: 'bo' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.code).toBe('slug_taken');
    });

    it('writes one changelog row per changed field, with old and new values and the actor key', async () => {
      const created = (
        await t.call('POST', '/api/campaigns', { name: 'Changelog test', owner: 'ana', notes: 'v1' })
      ).json();
      const patched = await t.call('PATCH', `/api/campaigns/${created.id}`, {
        notes: 'v2',
        owner: 'ana',
        budgetCap: { amount: 100, currency: 'EUR' },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ notes: 'v2', budgetCap: { amount: 100, currency: 'EUR' } });
      const { changes } = (await t.call('GET', `/api/campaigns/${created.id}/changelog`)).json();
      const rows = changes.map((c: { field: string; old: unknown; new: unknown }) => [c.field, c.old, c.new]);
      // `owner` was sent unchanged, so it has no row.
      expect(rows.sort()).toEqual([
        ['budgetCap', null, { amount: 100, currency: 'EUR' }],
        ['notes', 'v1', 'v2'],
      ]);
      expect(changes[0].actorKeyId).toEqual(expect.any(Number));
      expect((await t.call('GET', '/api/campaigns/999999/changelog')).statusCode).toBe(404);
    });
  });

  describe('links API', () => {
    it('creates a WhatsApp link with a short URL and a destination preview', async () => {
      const response = await t.call('POST', '/api/links', {
        campaignId,
        channel: 'whatsapp',
        target: { phone: '011 15-2345-6789', country: 'AR' },
        text: 'Hola 👋',
      });
      expect(response.statusCode).toBe(201);
      const link = response.json();
      expect(link.code).toMatch(/^[2-9a-zA-HJ-NP-Z]{7}$/);
      expect(link.shortUrl).toBe(`https://cm.example/${link.code}`);
      expect(link.channel).toBe('whatsapp');
      expect(link.destinationPreview).toMatch(/^https:\/\/wa\.me\/5491123456789\?text=Hola%20/);
      expect(link.carrier).toBe('text');
    });

    it.each([
      [{ channel: 'whatsapp', target: { phone: '123', country: 'US' } }, 'invalid_phone', 'phone'],
      [
        { channel: 'telegram', target: { username: 'acme_bot', start: '_tgr_x' } },
        'invalid_start_payload',
        'start',
      ],
      [{ channel: 'web', target: { url: 'ftp://x' } }, 'invalid_url', 'url'],
      [{ channel: 'whatsapp', target: { phone: '+447911123456' }, code: 'api' }, 'reserved_code', 'code'],
      [{ channel: 'whatsapp', target: { phone: '+447911123456' }, code: 'a b' }, 'invalid_code', 'code'],
      [
        { channel: 'whatsapp', target: { phone: '+447911123456' }, campaignId: 99999 },
        'unknown_campaign',
        'campaignId',
      ],
    ])('refuses %j with %s on %s (422)', async (body, code, field) => {
      const response = await t.call('POST', '/api/links', body);
      expect(response.statusCode).toBe(422);
      expect(response.json().error).toMatchObject({ code, field });
    });

    it('takes a custom code once (409 the second time)', async () => {
      const body = { channel: 'telegram', target: { username: 'acme_support_bot' }, code: 'tg-spring' };
      expect((await t.call('POST', '/api/links', body)).statusCode).toBe(201);
      const again = await t.call('POST', '/api/links', body);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({ code: 'code_taken', field: 'code' });
    });

    it('previews without storing', async () => {
      const before = (await t.call('GET', '/api/links')).json().links.length;
      const preview = await t.call('POST', '/api/links/preview', {
        channel: 'messenger',
        target: { page: 'acmestore' },
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({ channel: 'messenger', carrier: 'ref' });
      expect(preview.json().destinationPreview).toMatch(/^https:\/\/m\.me\/acmestore\?ref=XXXX-XXXX/);
      expect((await t.call('GET', '/api/links')).json().links.length).toBe(before);
    });

    it('lists by campaign, patches, and archives on DELETE', async () => {
      const link = (
        await t.call('POST', '/api/links', {
          campaignId,
          channel: 'whatsapp',
          target: { phone: '+447911123456' },
        })
      ).json();
      const listed = (await t.call('GET', `/api/links?campaignId=${campaignId}`)).json().links;
      expect(listed.map((l: { id: number }) => l.id)).toContain(link.id);
      expect(listed.every((l: { campaignId: number }) => l.campaignId === campaignId)).toBe(true);

      const patched = await t.call('PATCH', `/api/links/${link.id}`, { text: 'Changed', variant: 'b' });
      expect(patched.json()).toMatchObject({ text: 'Changed', variant: 'b' });
      const badPatch = await t.call('PATCH', `/api/links/${link.id}`, { target: { phone: '12' } });
      expect(badPatch.json().error.code).toBe('invalid_phone');

      expect((await follow(link.code)).statusCode).toBe(302);
      const deleted = await t.call('DELETE', `/api/links/${link.id}`);
      expect(deleted.json().archivedAt).not.toBeNull();
      const gone = await follow(link.code);
      expect(gone.statusCode).toBe(410);
      expect(gone.headers['content-type']).toContain('text/html');
      expect(
        (await t.call('GET', `/api/links?campaignId=${campaignId}`))
          .json()
          .links.map((l: { id: number }) => l.id),
      ).not.toContain(link.id);
    });
  });

  describe('the redirect', () => {
    it('records a human click, commits it before answering, and carries its token in the WhatsApp text', async () => {
      const link = (
        await t.call('POST', '/api/links', {
          campaignId,
          channel: 'whatsapp',
          target: { phone: '+447911123456' },
          text: 'Hi there',
        })
      ).json();
      const response = await follow(link.code, IPHONE, { referer: 'https://l.instagram.com/?u=secret-path' });
      expect(response.statusCode).toBe(302);
      expect(response.headers['cache-control']).toContain('no-store');
      const location = String(response.headers.location);
      expect(location).toMatch(
        /^https:\/\/wa\.me\/447911123456\?text=Hi%20there%20\(ref%20[0-9A-Z]{4}-[0-9A-Z]{4}\)$/,
      );
      const token = parseRefToken(decodeURIComponent(new URL(location).searchParams.get('text') ?? ''));
      expect(token).toBe(response.headers['x-chatmark-click']);

      // Committed before the answer: the row is there the moment inject returns.
      const [click] = await clicksOf(link.id);
      expect(click).toBeDefined();
      expect(t.server.codec.encode(Number(click?.id))).toBe(token);
      expect(click).toMatchObject({
        bot: 0,
        device: 'mobile',
        os: 'iOS',
        referrer_host: 'l.instagram.com',
        qr: 0,
      });
      expect(JSON.stringify(click)).not.toContain('203.0.113.7');
      expect(click?.visitor_hash).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    });

    it('gives every click its own token', async () => {
      const link = (
        await t.call('POST', '/api/links', { channel: 'telegram', target: { username: 'acme_support_bot' } })
      ).json();
      const tokens = new Set<string>();
      for (let i = 0; i < 5; i += 1) {
        const response = await follow(link.code, ANDROID);
        const start = new URL(String(response.headers.location)).searchParams.get('start') ?? '';
        expect(normalizeRefToken(start)).toBe(response.headers['x-chatmark-click']);
        tokens.add(start);
      }
      expect(tokens.size).toBe(5);
    });

    it('redirects link-preview fetchers and HEAD requests but records them as bots', async () => {
      const link = (
        await t.call('POST', '/api/links', { channel: 'whatsapp', target: { phone: '+447911123456' } })
      ).json();
      expect((await follow(link.code, WHATSAPP_PREVIEW)).statusCode).toBe(302);
      expect((await follow(link.code, IPHONE, { method: 'HEAD' })).statusCode).toBe(302);
      const clicks = await clicksOf(link.id);
      expect(clicks.map((c) => [c.bot, c.bot_reason])).toEqual([
        [1, 'preview:whatsapp'],
        [1, 'head'],
      ]);
    });

    it('marks QR scans and keeps ad click ids', async () => {
      const link = (
        await t.call('POST', '/api/links', { channel: 'whatsapp', target: { phone: '+447911123456' } })
      ).json();
      await follow(link.code, IPHONE, { query: '?qr=1&fbclid=IwAR0abc' });
      const [click] = await clicksOf(link.id);
      expect(click?.qr).toBe(1);
      expect(JSON.parse(String(click?.ad_ids))).toEqual({ fbclid: 'IwAR0abc' });
    });

    it('tags web links with campaign UTM defaults where the destination has none, plus cm_click', async () => {
      const link = (
        await t.call('POST', '/api/links', {
          campaignId,
          channel: 'web',
          target: { url: 'https://shop.example/spring?utm_source=newsletter&ref=a%20b#top' },
        })
      ).json();
      const response = await follow(link.code);
      expect(response.statusCode).toBe(302);
      const location = new URL(String(response.headers.location));
      expect(location.searchParams.get('utm_source')).toBe('newsletter'); // the destination's own value wins
      expect(location.searchParams.get('utm_medium')).toBe('whatsapp'); // the campaign's one channel
      expect(location.searchParams.get('utm_campaign')).toBe('spring_sale_2026');
      expect(location.searchParams.get('cm_click')).toBe(response.headers['x-chatmark-click']);
      expect(String(response.headers.location)).toContain('ref=a%20b');
      expect(location.hash).toBe('#top');
    });

    it('answers viber:// links with a page that opens the app', async () => {
      const link = (
        await t.call('POST', '/api/links', { channel: 'viber', target: { uri: 'acmebot' } })
      ).json();
      const response = await follow(link.code);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('viber://pa?chatURI=acmebot&amp;context=');
      expect(response.body).toContain(String(response.headers['x-chatmark-click']).slice(0, 4));
    });

    it('answers 404 for an unknown code and 410 after expiry or the click limit', async () => {
      expect((await follow('nosuchcode')).statusCode).toBe(404);
      const limited = (
        await t.call('POST', '/api/links', {
          channel: 'signal',
          target: { phone: '+447911123456' },
          maxClicks: 2,
        })
      ).json();
      expect((await follow(limited.code)).statusCode).toBe(302);
      // Issue 10 (3.2): a preview fetcher on a capped link gets the preview card and uses nothing up.
      expect((await follow(limited.code, WHATSAPP_PREVIEW)).statusCode).toBe(200);
      expect((await follow(limited.code)).statusCode).toBe(302);
      expect((await follow(limited.code)).statusCode).toBe(410);

      const expiring = (
        await t.call('POST', '/api/links', {
          channel: 'signal',
          target: { phone: '+447911123456' },
          expiresAt: new Date(t.clock.now + 60_000).toISOString(),
        })
      ).json();
      expect((await follow(expiring.code)).statusCode).toBe(302);
      t.clock.now += 120_000;
      expect((await follow(expiring.code)).statusCode).toBe(410);
    });

    it('reports stats from the rollups and exports clicks a page at a time', async () => {
      const link = (
        await t.call('POST', '/api/links', { channel: 'whatsapp', target: { phone: '+447911123456' } })
      ).json();
      await follow(link.code, IPHONE, { query: '?qr=1' });
      await follow(link.code, ANDROID);
      await follow(link.code, IPHONE);
      await follow(link.code, WHATSAPP_PREVIEW);
      const stats = (await t.call('GET', `/api/links/${link.id}/stats`)).json();
      expect(stats).toMatchObject({ clicks: 4, humanClicks: 3, botClicks: 1, qrScans: 1, uniqueVisitors: 2 });
      expect(stats.byDevice).toEqual({ mobile: 3 });
      expect(stats.byBrowser).toEqual({ 'Mobile Safari': 2, Chrome: 1 });

      const first = (await t.call('GET', `/api/clicks?linkId=${link.id}&limit=3`)).json();
      expect(first.clicks).toHaveLength(3);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = (
        await t.call('GET', `/api/clicks?linkId=${link.id}&limit=3&cursor=${first.nextCursor}`)
      ).json();
      expect(second.clicks).toHaveLength(1);
      expect(second.clicks[0]).toMatchObject({ bot: true, botReason: 'preview:whatsapp' });
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('landing visits', () => {
    it('records a visit from the beacon and from the pixel, linked to the click', async () => {
      const link = (
        await t.call('POST', '/api/links', { channel: 'web', target: { url: 'https://shop.example/' } })
      ).json();
      const clickId = String((await follow(link.code)).headers['x-chatmark-click']);
      const beacon = await t.call(
        'POST',
        '/api/track/visit',
        { url: `https://shop.example/?utm_source=sms&cm_click=${clickId}`, utm_campaign: 'spring_sale_2026' },
        { key: null },
      );
      expect(beacon.statusCode).toBe(204);
      expect(beacon.headers['access-control-allow-origin']).toBe('*');
      const pixel = await t.call('GET', '/p.gif?utm_source=qr&utm_medium=qr', undefined, { key: null });
      expect(pixel.statusCode).toBe(200);
      expect(pixel.headers['content-type']).toBe('image/gif');
      expect(pixel.headers['set-cookie']).toBeUndefined();
      // navigator.sendBeacon (the README snippet) posts the JSON as text/plain.
      const sent = await t.server.app.inject({
        method: 'POST',
        url: '/api/track/visit',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        payload: JSON.stringify({ url: 'https://shop.example/b?utm_source=telegram' }),
      });
      expect(sent.statusCode).toBe(204);
      const visits = await t.server.store.db.selectFrom('landing_visits').selectAll().orderBy('id').execute();
      expect(visits.at(-1)).toMatchObject({ utm_source: 'telegram', url: 'https://shop.example/b' });
      visits.pop();
      expect(visits.at(-2)).toMatchObject({
        link_id: link.id,
        utm_source: 'sms',
        utm_campaign: 'spring_sale_2026',
        url: 'https://shop.example/',
      });
      expect(visits.at(-1)).toMatchObject({ link_id: null, utm_source: 'qr', utm_medium: 'qr' });
    });
  });
});
