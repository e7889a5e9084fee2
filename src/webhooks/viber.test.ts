import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import type { ChatStartBatch } from './types.js';
import { parseViber, readViberJson } from './viber.js';

// Read through readViberJson so the 64-bit message tokens in the fixture files stay exact.
const fixtures = loadWebhookFixtures('viber-', readViberJson);

/** spec/channels.md §3.2's example as the raw bytes Viber sends (the token a bare 64-bit number). */
const SPEC_RAW =
  '{"event":"conversation_started","timestamp":1457764197627,"type":"open","context":"c_K7Q2MXr9",' +
  '"user":{"id":"01234567890A=","name":"John McClane","avatar":"http://avatar.example.com","country":"UK",' +
  '"language":"en","api_version":1},"message_token":4912661846655238145,"subscribed":false}';

describe('parseViber: fixtures (spec/channels.md §3.2)', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
  });

  it.each(fixtures)('$name ($spec)', ({ body, expected }) => {
    expect(parseViber(body)).toEqual(expected as ChatStartBatch);
  });
});

describe('parseViber: message_token, the delivery id', () => {
  it('stays exact from the raw body, as a string or as bytes (2^53 < 4912661846655238145)', () => {
    expect(parseViber(SPEC_RAW).starts[0]!.deliveryId).toBe('4912661846655238145');
    expect(parseViber(Buffer.from(SPEC_RAW)).starts[0]!.deliveryId).toBe('4912661846655238145');
    expect(parseViber(new TextEncoder().encode(SPEC_RAW)).starts[0]!.deliveryId).toBe('4912661846655238145');
  });

  it('is rounded when the caller parsed the body with JSON.parse (why the raw body is preferred)', () => {
    const rounded = String(JSON.parse('4912661846655238145'));
    expect(rounded).not.toBe('4912661846655238145');
    expect(parseViber(JSON.parse(SPEC_RAW)).starts[0]!.deliveryId).toBe(rounded);
  });

  it('tells apart two tokens that JSON.parse would merge', () => {
    const other = SPEC_RAW.replace('4912661846655238145', '4912661846655238146');
    expect(parseViber(other).starts[0]!.deliveryId).toBe('4912661846655238146');
    expect(JSON.parse(other).message_token).toBe(JSON.parse(SPEC_RAW).message_token);
  });

  it('is the same when the same callback is delivered twice', () => {
    expect(parseViber(SPEC_RAW).starts[0]!.deliveryId).toBe(parseViber(SPEC_RAW).starts[0]!.deliveryId);
  });

  it('falls back to a stable hash when message_token is missing', () => {
    const raw = SPEC_RAW.replace(',"message_token":4912661846655238145', '');
    const [first, again] = [parseViber(raw), parseViber(raw)].map((b) => b.starts[0]!.deliveryId);
    expect(first).toMatch(/^h:[0-9a-f]{32}$/);
    expect(again).toBe(first);
    const later = parseViber(raw.replace('1457764197627', '1457764197628')).starts[0]!.deliveryId;
    expect(later).not.toBe(first);
  });
});

describe('readViberJson', () => {
  it('quotes only the message_token key, not the same words inside a string value', () => {
    const raw = '{"message_token":12345678901234567890,"text":"say \\"message_token\\": 5 please"}';
    expect(readViberJson(raw)).toEqual({
      message_token: '12345678901234567890',
      text: 'say "message_token": 5 please',
    });
  });

  it('keeps a token that is already a string', () => {
    expect(readViberJson('{"message_token":"77"}')).toEqual({ message_token: '77' });
  });

  it('answers undefined for a body that is not JSON', () => {
    expect(readViberJson('{"event":')).toBeUndefined();
    expect(parseViber('{"event":')).toEqual({ starts: [], ignored: 1 });
  });
});

describe('parseViber: other events and shapes never throw', () => {
  it.each([
    { case: 'subscribed', body: { event: 'subscribed', timestamp: 1, user: { id: 'u' }, message_token: 1 } },
    { case: 'unsubscribed', body: { event: 'unsubscribed', timestamp: 1, user_id: 'u', message_token: 1 } },
    { case: 'delivered', body: { event: 'delivered', timestamp: 1, message_token: 1, user_id: 'u' } },
    { case: 'seen', body: { event: 'seen', timestamp: 1, message_token: 1, user_id: 'u' } },
    { case: 'webhook', body: { event: 'webhook', timestamp: 1, message_token: 1 } },
    { case: 'conversation_started without user', body: { event: 'conversation_started', timestamp: 1 } },
    {
      case: 'conversation_started without timestamp',
      body: { event: 'conversation_started', user: { id: 'u' } },
    },
    { case: 'null', body: null },
    { case: 'an array', body: [{ event: 'conversation_started' }] },
    { case: 'a number', body: 7 },
  ])('$case → ignored', ({ body }) => {
    expect(parseViber(body)).toEqual({ starts: [], ignored: 1 });
  });

  it('treats an empty context as no context', () => {
    const { starts } = parseViber(SPEC_RAW.replace('"c_K7Q2MXr9"', '""'));
    expect([starts[0]!.ref, starts[0]!.token, starts[0]!.refSource]).toEqual([null, null, null]);
  });
});
