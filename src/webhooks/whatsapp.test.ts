import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import { whatsappEnvelope } from './payloads.js';
import { ChatmarkError } from '../domain/errors.js';
import type { ChatStartBatch } from './types.js';
import { parseWhatsApp, verifyWhatsAppChallenge } from './whatsapp.js';

const fixtures = loadWebhookFixtures('whatsapp-');

/** A Cloud API webhook (spec/channels.md §1.6 envelope) around the given `value` fields. */
const envelope = (value: Record<string, unknown>): unknown => whatsappEnvelope(value);

const textMessage = (fields: Record<string, unknown>, body = 'hello'): Record<string, unknown> => ({
  id: 'wamid.X',
  timestamp: '1750000000',
  type: 'text',
  text: { body },
  ...fields,
});

describe('parseWhatsApp: fixtures (spec/channels.md §1.5–§1.6)', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  it.each(fixtures)('$name ($spec)', ({ body, expected }) => {
    expect(parseWhatsApp(body)).toEqual(expected as ChatStartBatch);
  });

  it('leaves `ad` out when there is no referral (spec/channels.md §1.5.2: only for Click-to-WhatsApp)', () => {
    const [start] = parseWhatsApp(fixtures.find((f) => f.name === 'whatsapp-text-token')!.body).starts;
    expect(start).toBeDefined();
    expect(Object.keys(start!)).not.toContain('ad');
  });
});

describe('parseWhatsApp: contact key (spec/channels.md §1.6 "from_user_id ?? contacts[].user_id ?? from")', () => {
  it.each([
    {
      case: 'phone only',
      message: { from: '447911123456' },
      contacts: [{ wa_id: '447911123456' }],
      key: '447911123456',
      phone: '447911123456',
    },
    {
      case: 'from_user_id wins over contacts[].user_id and from',
      message: { from: '447911123456', from_user_id: 'GB.111' },
      contacts: [{ wa_id: '447911123456', user_id: 'GB.222' }],
      key: 'GB.111',
      phone: '447911123456',
    },
    {
      case: 'contacts[].user_id wins over from',
      message: { from: '447911123456' },
      contacts: [{ wa_id: '447911123456', user_id: 'GB.222' }],
      key: 'GB.222',
      phone: '447911123456',
    },
    {
      case: 'BSUID only (username user, phone withheld)',
      message: { from_user_id: 'US.13491208655302741918' },
      contacts: [{ user_id: 'US.13491208655302741918' }],
      key: 'US.13491208655302741918',
      phone: undefined,
    },
    {
      case: 'BSUID only in contacts, message has no sender field',
      message: {},
      contacts: [{ user_id: 'US.1349' }],
      key: 'US.1349',
      phone: undefined,
    },
    {
      case: 'the contact is matched by wa_id among several',
      message: { from: '919876543210' },
      contacts: [
        { wa_id: '447911123456', user_id: 'GB.1' },
        { wa_id: '919876543210', user_id: 'IN.2' },
      ],
      key: 'IN.2',
      phone: '919876543210',
    },
    {
      case: 'a lone contact for another user is not borrowed',
      message: { from: '919876543210' },
      contacts: [{ wa_id: '447911123456', user_id: 'GB.1' }],
      key: '919876543210',
      phone: '919876543210',
    },
    {
      case: 'a non-digit from is a key but not a phone',
      message: { from: 'not-a-number' },
      contacts: [],
      key: 'not-a-number',
      phone: undefined,
    },
  ])('$case', ({ message, contacts, key, phone }) => {
    const { starts } = parseWhatsApp(envelope({ contacts, messages: [textMessage(message)] }));
    expect(starts).toHaveLength(1);
    expect(starts[0]!.contact.key).toBe(key);
    expect(starts[0]!.contact.phone).toBe(phone);
  });

  it('ignores a message with no sender at all', () => {
    expect(parseWhatsApp(envelope({ messages: [textMessage({})] }))).toEqual({ starts: [], ignored: 1 });
  });
});

describe('parseWhatsApp: where the token is found (spec/channels.md §1.5.1)', () => {
  it.each([
    { case: 'text.body', message: { type: 'text', text: { body: 'Hi (ref 7KQ2-M9X1)' } } },
    {
      case: 'template button text',
      message: { type: 'button', button: { text: 'Offer 7KQ2-M9X1', payload: 'X' } },
    },
    {
      case: 'template button payload',
      message: { type: 'button', button: { text: 'Yes', payload: 'ref-7KQ2M9X1' } },
    },
    {
      case: 'interactive button_reply',
      message: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Yes 7KQ2-M9X1' } },
      },
    },
    {
      case: 'interactive list_reply description',
      message: {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'l1', title: 'Spring', description: 'code 7KQ2-M9X1' },
        },
      },
    },
    { case: 'image caption', message: { type: 'image', image: { id: 'media1', caption: 'ref 7kq2 m9x1' } } },
  ])('$case', ({ message }) => {
    const { starts } = parseWhatsApp(
      envelope({ messages: [{ from: '447911123456', id: 'wamid.T', timestamp: '1750000000', ...message }] }),
    );
    expect(starts.map((s) => [s.ref, s.token, s.refSource])).toEqual([['7KQ2M9X1', '7KQ2M9X1', 'text']]);
  });

  it('takes typed text before a reply payload, and the first token in a text (findRefTokens order)', () => {
    const { starts } = parseWhatsApp(
      envelope({
        messages: [
          textMessage({ from: '1', button: { payload: 'TG76QCN1' } }, 'first 4VXP-QYTA then (ref 7KQ2-M9X1)'),
        ],
      }),
    );
    expect(starts[0]!.token).toBe('7KQ2M9X1');
  });

  it('refuses a mistyped token (check character) rather than misattributing: ref null', () => {
    const { starts } = parseWhatsApp(
      envelope({ messages: [textMessage({ from: '1' }, 'Hi (ref 7KQ2-M9X2)')] }),
    );
    expect(starts.map((s) => [s.ref, s.token, s.refSource])).toEqual([[null, null, null]]);
  });
});

describe('parseWhatsApp: dedupe and counting', () => {
  it('gives the same deliveryId when the same delivery arrives twice', () => {
    const body = fixtures.find((f) => f.name === 'whatsapp-text-token')!.body;
    const first = parseWhatsApp(body).starts.map((s) => s.deliveryId);
    const again = parseWhatsApp(structuredClone(body)).starts.map((s) => s.deliveryId);
    expect(first).toEqual(['wamid.TOKEN1']);
    expect(again).toEqual(first);
  });

  it('reports a message repeated inside one body twice with one id (the caller dedupes)', () => {
    const message = textMessage({ from: '447911123456', id: 'wamid.DUP' });
    const { starts } = parseWhatsApp(envelope({ messages: [message, message] }));
    expect(starts.map((s) => s.deliveryId)).toEqual(['wamid.DUP', 'wamid.DUP']);
  });

  it.each([
    { case: 'not an object', body: 'hello', ignored: 1 },
    { case: 'null', body: null, ignored: 1 },
    { case: 'an array', body: [], ignored: 1 },
    { case: 'another object type', body: { object: 'page', entry: [] }, ignored: 1 },
    { case: 'entry not an array', body: { object: 'whatsapp_business_account', entry: {} }, ignored: 1 },
    { case: 'no entries', body: { object: 'whatsapp_business_account', entry: [] }, ignored: 0 },
    {
      case: 'entry without changes',
      body: { object: 'whatsapp_business_account', entry: [{ id: '1' }, 5] },
      ignored: 2,
    },
    {
      case: 'change without value',
      body: { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages' }, null] }] },
      ignored: 2,
    },
    { case: 'messages change with only errors', body: envelope({ errors: [{ code: 131051 }] }), ignored: 1 },
    {
      case: 'message without id',
      body: envelope({ messages: [textMessage({ from: '1', id: undefined })] }),
      ignored: 1,
    },
    {
      case: 'message with a bad timestamp',
      body: envelope({ messages: [textMessage({ from: '1', timestamp: 'yesterday' })] }),
      ignored: 1,
    },
    { case: 'message that is not an object', body: envelope({ messages: ['hi', 3] }), ignored: 2 },
  ])('never throws on $case: no start, ignored $ignored', ({ body, ignored }) => {
    expect(parseWhatsApp(body)).toEqual({ starts: [], ignored });
  });

  it('accepts a numeric timestamp as well as the documented string', () => {
    const { starts } = parseWhatsApp(
      envelope({ messages: [textMessage({ from: '1', timestamp: 1750000000 })] }),
    );
    expect(starts[0]!.occurredAt).toBe(1_750_000_000_000);
  });
});

describe('verifyWhatsAppChallenge (Cloud API webhook subscription)', () => {
  it('returns hub.challenge for a subscription with the right token (flat or nested query)', () => {
    const flat = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-123', 'hub.challenge': '1158201444' };
    expect(verifyWhatsAppChallenge(flat, 'tok-123')).toBe('1158201444');
    const nested = { hub: { mode: 'subscribe', verify_token: 'tok-123', challenge: '42' } };
    expect(verifyWhatsAppChallenge(nested, 'tok-123')).toBe('42');
  });

  it.each([
    {
      case: 'wrong token',
      query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
      code: 'invalid_verify_token',
      field: 'hub.verify_token',
    },
    {
      case: 'missing token',
      query: { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
      code: 'invalid_verify_token',
      field: 'hub.verify_token',
    },
    {
      case: 'token repeated (array)',
      query: { 'hub.mode': 'subscribe', 'hub.verify_token': ['tok-123'], 'hub.challenge': '1' },
      code: 'invalid_verify_token',
      field: 'hub.verify_token',
    },
    {
      case: 'wrong mode',
      query: { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'tok-123', 'hub.challenge': '1' },
      code: 'invalid_verify_token',
      field: 'hub.mode',
    },
    { case: 'no query', query: undefined, code: 'invalid_verify_token', field: 'hub.mode' },
    {
      case: 'missing challenge',
      query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-123' },
      code: 'missing_field',
      field: 'hub.challenge',
    },
    {
      case: 'empty challenge',
      query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-123', 'hub.challenge': '' },
      code: 'missing_field',
      field: 'hub.challenge',
    },
  ])('refuses: $case → $code ($field)', ({ query, code, field }) => {
    const attempt = () => verifyWhatsAppChallenge(query, 'tok-123');
    expect(attempt).toThrow(ChatmarkError);
    expect(attempt).toThrow(expect.objectContaining({ code, field }));
  });

  it('refuses every token when none is configured', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' };
    expect(() => verifyWhatsAppChallenge(query, '')).toThrow(
      expect.objectContaining({ code: 'invalid_verify_token' }),
    );
  });
});
