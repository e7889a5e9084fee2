import { describe, expect, it } from 'vitest';
import { parseMeta } from './meta.js';
import {
  hubSignature,
  messengerReferralPostback,
  telegramStartUpdate,
  whatsappTextMessage,
} from './payloads.js';
import { verifyHubSignature } from './signature.js';
import { parseTelegram } from './telegram.js';
import { parseWhatsApp } from './whatsapp.js';

// The builders `chatmark demo` and the HTTP tests post: each parses to the chat start it means.
describe('webhook payload builders', () => {
  it('WhatsApp: a text carrying the printed ref', () => {
    const body = whatsappTextMessage(
      "Hi! I'd like the offer (ref WY9G-3KN3)",
      'wamid.1',
      '447911000001',
      'Ana',
      '1763900000',
    );
    expect(parseWhatsApp(body).starts).toEqual([
      expect.objectContaining({
        platform: 'whatsapp',
        deliveryId: 'wamid.1',
        occurredAt: 1_763_900_000_000,
        accountId: '106540352242922',
        token: 'WY9G3KN3',
      }),
    ]);
  });

  it('Telegram: /start with the token', () => {
    const update = telegramStartUpdate({
      payload: 'WY9G3KN3',
      updateId: 7,
      userId: 555,
      date: 1_763_900_000,
    });
    expect(parseTelegram(update).starts).toEqual([
      expect.objectContaining({ platform: 'telegram', occurredAt: 1_763_900_000_000, token: 'WY9G3KN3' }),
    ]);
  });

  it('Messenger and Instagram: a referral postback with the token', () => {
    for (const object of ['page', 'instagram'] as const) {
      const body = messengerReferralPostback({ ref: 'WY9G-3KN3', psid: 'PSID-1', mid: 'm_1', object });
      expect(parseMeta(body).starts).toEqual([
        expect.objectContaining({
          platform: object === 'page' ? 'messenger' : 'instagram',
          deliveryId: 'm_1',
          token: 'WY9G3KN3',
        }),
      ]);
    }
  });

  it('signs a body as Meta does (X-Hub-Signature-256)', () => {
    const body = JSON.stringify(whatsappTextMessage('hi', 'wamid.2'));
    expect(verifyHubSignature(body, hubSignature(body, 'app-secret'), 'app-secret')).toBe(true);
    expect(verifyHubSignature(body, hubSignature(body, 'other'), 'app-secret')).toBe(false);
  });
});
