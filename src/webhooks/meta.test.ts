import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import { ChatmarkError } from '../domain/errors.js';
import { stableDeliveryId } from './delivery-id.js';
import { parseMeta, verifyMetaChallenge } from './meta.js';
import type { ChatStartBatch } from './types.js';

const fixtures = [...loadWebhookFixtures('messenger-'), ...loadWebhookFixtures('instagram-')];

/** One `entry[].messaging[]` event inside an `object` envelope (spec/channels.md §4.2, §5). */
function envelope(object: string, event: Record<string, unknown>, key = 'messaging'): unknown {
  return { object, entry: [{ id: 'PAGE1', time: 1750000000000, [key]: [event] }] };
}
const base = { sender: { id: 'PSID1' }, recipient: { id: 'PAGE1' }, timestamp: 1750000000000 };
const shortlink = (source: string, ref = '7KQ2-M9X1') => ({ ref, source, type: 'OPEN_THREAD' });

describe('parseMeta: fixtures (spec/channels.md §4.2, §5)', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures)('$name ($spec)', ({ body, expected }) => {
    expect(parseMeta(body)).toEqual(expected as ChatStartBatch);
  });
});

describe('parseMeta: keyed on ref, never on source (spec/channels.md §4.2, §5)', () => {
  it.each([
    { object: 'page', platform: 'messenger', source: 'SHORTLINK' },
    { object: 'page', platform: 'messenger', source: 'SHORT-URL' },
    { object: 'page', platform: 'messenger', source: 'SHORT_URL' },
    { object: 'instagram', platform: 'instagram', source: 'SHORTLINKS' },
    { object: 'instagram', platform: 'instagram', source: 'IGME-SOURCE-LINK' },
    { object: 'instagram', platform: 'instagram', source: undefined },
  ])('$object with source $source', ({ object, platform, source }) => {
    const referral = source === undefined ? { ref: '7KQ2-M9X1', type: 'OPEN_THREAD' } : shortlink(source);
    const postback = { title: 'Get Started', payload: 'GET_STARTED', referral };
    const { starts } = parseMeta(envelope(object, { ...base, postback }));
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      platform,
      ref: '7KQ2-M9X1',
      token: '7KQ2M9X1',
      refSource: 'ref',
      reentry: false,
    });
    expect(starts[0]!.ad).toBeUndefined();
  });

  it('keeps a non-token ref raw with token null', () => {
    const { starts } = parseMeta(envelope('page', { ...base, referral: shortlink('SHORTLINK', 'spring24') }));
    expect([starts[0]!.ref, starts[0]!.token]).toEqual(['spring24', null]);
  });

  it('does not read a lower-case or confusable spelling of a carried ref as a token (carrier values are machine-written)', () => {
    const { starts } = parseMeta(
      envelope('page', { ...base, referral: shortlink('SHORTLINK', '7kq2-m9xl') }),
    );
    expect(starts[0]!.token).toBeNull();
  });
});

describe('parseMeta: new thread, existing thread, message referral', () => {
  it('postback.referral is a new thread: reentry false, deliveryId postback.mid', () => {
    const postback = {
      mid: 'm_1',
      title: 'Get Started',
      payload: 'GET_STARTED',
      referral: shortlink('SHORTLINK'),
    };
    const { starts } = parseMeta(envelope('page', { ...base, postback }));
    expect(starts[0]).toMatchObject({ reentry: false, deliveryId: 'm_1' });
  });

  it('a referral alone is messaging_referrals, an existing thread: reentry true', () => {
    const { starts } = parseMeta(envelope('page', { ...base, referral: shortlink('SHORTLINK') }));
    expect(starts[0]!.reentry).toBe(true);
  });

  it('a referral on a message is a message from a link or ad: reentry false, deliveryId message.mid', () => {
    const message = {
      mid: 'm_msg',
      text: 'Hi',
      referral: { ref: '7KQ2-M9X1', ad_id: '987', source: 'ADS', type: 'OPEN_THREAD' },
    };
    const { starts } = parseMeta(envelope('page', { ...base, message }));
    expect(starts[0]).toMatchObject({
      reentry: false,
      deliveryId: 'm_msg',
      token: '7KQ2M9X1',
      ad: { adId: '987', source: 'ADS' },
    });
  });

  it('an ad referral without a ref is still a start, unattributed by ref but with the ad', () => {
    const referral = { ad_id: '120226305854810726', source: 'ADS', type: 'OPEN_THREAD' };
    const { starts } = parseMeta(envelope('page', { ...base, referral }));
    expect(starts[0]).toMatchObject({
      ref: null,
      token: null,
      refSource: null,
      ad: { adId: '120226305854810726' },
    });
  });

  it('reads standby events (handover protocol: another app is the primary receiver)', () => {
    const { starts } = parseMeta(envelope('page', { ...base, referral: shortlink('SHORTLINK') }, 'standby'));
    expect(starts.map((s) => s.token)).toEqual(['7KQ2M9X1']);
  });

  it('reads the newer `changes[{field, value}]` shape (messaging_postbacks reference sample)', () => {
    const value = {
      sender: { user_ref: 'USER-REF-ID' },
      recipient: { id: 'PAGE-ID' },
      timestamp: '1527459824',
      postback: {
        mid: 'm_MESSAGE-ID',
        title: 'T',
        payload: 'P',
        referral: { ref: 'WY9G-3KN3', source: 'SHORT-URL', type: 'OPEN_THREAD' },
      },
    };
    const body = {
      object: 'page',
      entry: [
        {
          id: 'PAGE-ID',
          time: 1,
          changes: [
            { field: 'messaging_postbacks', value },
            { field: 'feed', value: {} },
          ],
        },
      ],
    };
    expect(parseMeta(body)).toEqual({
      starts: [
        {
          platform: 'messenger',
          deliveryId: 'm_MESSAGE-ID',
          occurredAt: 1_527_459_824_000,
          accountId: 'PAGE-ID',
          contact: { key: 'user_ref:USER-REF-ID' },
          ref: 'WY9G-3KN3',
          token: 'WY9G3KN3',
          refSource: 'ref',
          reentry: false,
        },
      ],
      ignored: 1,
    });
  });
});

describe('parseMeta: deliveryId when Meta sends no id', () => {
  const event = { ...base, referral: shortlink('SHORTLINK') };

  it('is the same when the same delivery arrives twice', () => {
    const [first, again] = [
      parseMeta(envelope('page', event)),
      parseMeta(envelope('page', structuredClone(event))),
    ];
    expect(first.starts[0]!.deliveryId).toBe(again.starts[0]!.deliveryId);
    expect(first.starts[0]!.deliveryId).toBe(stableDeliveryId(['PSID1', 1_750_000_000_000, '7KQ2-M9X1']));
  });

  it.each([
    { case: 'another sender', change: { sender: { id: 'PSID2' } } },
    { case: 'another time', change: { timestamp: 1750000000001 } },
    { case: 'another ref', change: { referral: shortlink('SHORTLINK', 'TG76-QCN1') } },
  ])('differs for $case', ({ change }) => {
    const a = parseMeta(envelope('page', event)).starts[0]!.deliveryId;
    const b = parseMeta(envelope('page', { ...event, ...change })).starts[0]!.deliveryId;
    expect(b).not.toBe(a);
  });

  it('does not depend on source (opaque) or on the envelope time', () => {
    const a = parseMeta(envelope('page', event)).starts[0]!.deliveryId;
    const b = parseMeta(envelope('page', { ...event, referral: shortlink('SHORT-URL') })).starts[0]!
      .deliveryId;
    expect(b).toBe(a);
  });
});

describe('parseMeta: unknown shapes never throw', () => {
  it.each([
    { case: 'not an object', body: 'x', ignored: 1 },
    { case: 'another object type', body: { object: 'whatsapp_business_account', entry: [] }, ignored: 1 },
    { case: 'object user (other subscriptions)', body: { object: 'user', entry: [{}] }, ignored: 1 },
    {
      case: 'object naming an Object.prototype member',
      body: { object: 'toString', entry: [{ messaging: [] }] },
      ignored: 1,
    },
    { case: 'entry not an array', body: { object: 'page', entry: 'no' }, ignored: 1 },
    { case: 'entry not an object', body: { object: 'page', entry: [1, null] }, ignored: 2 },
    { case: 'entry with nothing in it', body: { object: 'page', entry: [{ id: 'P' }] }, ignored: 1 },
    {
      case: 'a non-messaging change (comments)',
      body: { object: 'instagram', entry: [{ id: 'I', changes: [{ field: 'comments', value: {} }] }] },
      ignored: 1,
    },
    {
      case: 'event without sender',
      body: envelope('page', { recipient: { id: 'P' }, timestamp: 1, referral: shortlink('SHORTLINK') }),
      ignored: 1,
    },
    {
      case: 'event without timestamp',
      body: envelope('page', { sender: { id: 'S' }, referral: shortlink('SHORTLINK') }),
      ignored: 1,
    },
    {
      case: 'postback without referral (menu button)',
      body: envelope('page', { ...base, postback: { title: 'Menu', payload: 'MENU' } }),
      ignored: 1,
    },
    {
      case: 'echo of a message with a referral',
      body: envelope('page', {
        ...base,
        message: { mid: 'm', is_echo: true, referral: shortlink('SHORTLINK') },
      }),
      ignored: 1,
    },
    { case: 'event not an object', body: { object: 'page', entry: [{ messaging: ['x'] }] }, ignored: 1 },
  ])('$case → ignored $ignored', ({ body, ignored }) => {
    expect(parseMeta(body)).toEqual({ starts: [], ignored });
  });
});

describe('verifyMetaChallenge (Messenger/Instagram webhook subscription)', () => {
  it('echoes the challenge for the right token and refuses a wrong one', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'v', 'hub.challenge': 'c' };
    expect(verifyMetaChallenge(query, 'v')).toBe('c');
    const attempt = () => verifyMetaChallenge(query, 'w');
    expect(attempt).toThrow(ChatmarkError);
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'invalid_verify_token', field: 'hub.verify_token' }),
    );
  });
});
