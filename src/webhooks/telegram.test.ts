import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import { parseTelegram } from './telegram.js';
import type { ChatStartBatch } from './types.js';

const fixtures = loadWebhookFixtures('telegram-');

/** A private-chat Update like spec/channels.md §2.4's example, with the given text and first entity. */
function update(
  text: string,
  entity: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    update_id: 1000,
    message: {
      message_id: 1,
      from: { id: 42, is_bot: false, first_name: 'Ana', last_name: 'Lima', username: 'ana_l' },
      chat: { id: 42, type: 'private' },
      date: 1750000000,
      text,
      ...(entity === null ? {} : { entities: [entity] }),
      ...extra,
    },
  };
}
const command = (length: number) => ({ type: 'bot_command', offset: 0, length });

describe('parseTelegram: fixtures (spec/channels.md §2.4)', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures)('$name ($spec)', ({ body, botUsername, expected }) => {
    expect(parseTelegram(body, botUsername)).toEqual(expected as ChatStartBatch);
  });
});

describe('parseTelegram: the /start rule (telegraf Composer.command, spec/channels.md §2.4)', () => {
  it('reads name, username and the payload', () => {
    expect(parseTelegram(update('/start 7KQ2-M9X1', command(6)))).toEqual({
      starts: [
        {
          platform: 'telegram',
          deliveryId: '1000',
          occurredAt: 1_750_000_000_000,
          accountId: null,
          contact: { key: '42', name: 'Ana Lima', username: 'ana_l' },
          ref: '7KQ2-M9X1',
          token: '7KQ2M9X1',
          refSource: 'start',
          reentry: false,
        },
      ],
      ignored: 0,
    });
  });

  it.each([
    {
      case: 'no username configured: any addressee',
      text: '/start@other_bot X1',
      length: 16,
      bot: undefined,
      ref: 'X1',
    },
    {
      case: 'configured with a leading @',
      text: '/start@acme_bot X1',
      length: 15,
      bot: '@acme_bot',
      ref: 'X1',
    },
    { case: 'addressee in another case', text: '/start@ACME_BOT X1', length: 15, bot: 'acme_bot', ref: 'X1' },
    { case: 'no addressee, username configured', text: '/start X1', length: 6, bot: 'acme_bot', ref: 'X1' },
    { case: 'payload with surrounding spaces', text: '/start   X1  ', length: 6, bot: 'acme_bot', ref: 'X1' },
    { case: 'bare /start', text: '/start', length: 6, bot: 'acme_bot', ref: null },
    { case: 'bare /start@bot', text: '/start@acme_bot', length: 15, bot: 'acme_bot', ref: null },
  ])('accepts $case', ({ text, length, bot, ref }) => {
    const { starts } = parseTelegram(update(text, command(length)), bot);
    expect(starts.map((s) => [s.ref, s.refSource])).toEqual([[ref, ref === null ? null : 'start']]);
  });

  it.each([
    { case: 'addressed to another bot', text: '/start@otherbot X1', entity: command(14), bot: 'acme_bot' },
    { case: 'another command', text: '/help X1', entity: command(5), bot: undefined },
    { case: 'a longer command starting with /start', text: '/startx X1', entity: command(7), bot: undefined },
    {
      case: 'command not at offset 0',
      text: 'hi /start X1',
      entity: { type: 'bot_command', offset: 3, length: 6 },
      bot: undefined,
    },
    {
      case: 'first entity not a command',
      text: '/start X1',
      entity: { type: 'mention', offset: 0, length: 6 },
      bot: undefined,
    },
    { case: 'no entities (typed, not a command)', text: '/start X1', entity: null, bot: undefined },
    {
      case: 'entity length not a number',
      text: '/start X1',
      entity: { type: 'bot_command', offset: 0, length: '6' },
      bot: undefined,
    },
  ])('ignores $case', ({ text, entity, bot }) => {
    expect(parseTelegram(update(text, entity), bot)).toEqual({ starts: [], ignored: 1 });
  });

  it('leaves reentry false: a returning user gets a fresh /start too (spec/channels.md §2.2)', () => {
    const { starts } = parseTelegram(update('/start 7KQ2-M9X1', command(6)));
    expect(starts[0]!.reentry).toBe(false);
  });

  it('gives the same deliveryId (update_id) when the same update is delivered twice', () => {
    const body = update('/start 7KQ2-M9X1', command(6));
    const ids = [parseTelegram(body), parseTelegram(structuredClone(body))].map(
      (b) => b.starts[0]!.deliveryId,
    );
    expect(ids).toEqual(['1000', '1000']);
  });
});

describe('parseTelegram: unknown shapes never throw', () => {
  it.each([
    { case: 'not an object', body: 'update' },
    { case: 'null', body: null },
    { case: 'no update_id', body: { message: { text: '/start' } } },
    {
      case: 'edited_message',
      body: { update_id: 1, edited_message: { text: '/start X', date: 1, from: { id: 1 } } },
    },
    { case: 'my_chat_member', body: { update_id: 1, my_chat_member: { chat: { id: 1 } } } },
    {
      case: 'message without from (channel post)',
      body: { update_id: 1, message: { text: '/start X', date: 1, entities: [command(6)] } },
    },
    { case: 'message without date', body: update('/start X', command(6), { date: undefined }) },
    { case: 'message without text (photo)', body: update('', command(6)) },
  ])('$case → ignored', ({ body }) => {
    expect(parseTelegram(body, 'acme_bot')).toEqual({ starts: [], ignored: 1 });
  });
});
