import { asArray, asId, asRecord, asText, compact, secondsToMs } from './fields.js';
import { carriedRef } from './ref.js';
import type { ChatStartBatch } from './types.js';

const START = '/start';

/**
 * The chat start in one Telegram Bot API update (spec/channels.md §2.4): a message whose first
 * entity is a `bot_command` at offset 0 naming `/start` or `/start@<bot>` (telegraf's rule). The
 * text after the command is the `start` payload, passed as given (`ref`) and as a canonical token
 * when it is one; a bare `/start` is a start with ref null. With `botUsername`, a command
 * addressed to another bot (`/start@otherbot`) is ignored; without it, any addressee is accepted.
 * Every other update (other messages, edits, callbacks, member changes) counts as ignored.
 *
 * `deliveryId` is `update_id` (unique per bot). `reentry` is always false: Telegram shows the
 * Start button again to returning users (§2.2), so only the store can tell a re-entry.
 *
 * @example parseTelegram(update, 'acme_bot').starts[0]?.ref // 'c_K7Q2MXr9' for "/start c_K7Q2MXr9"
 */
export function parseTelegram(update: unknown, botUsername?: string): ChatStartBatch {
  const root = asRecord(update);
  const message = asRecord(root?.message);
  const deliveryId = asId(root?.update_id);
  const text = asText(message?.text);
  const command = asRecord(asArray(message?.entities)[0]);
  const from = asRecord(message?.from);
  const key = asId(from?.id);
  const occurredAt = secondsToMs(message?.date);
  if (
    deliveryId === undefined ||
    text === undefined ||
    key === undefined ||
    occurredAt === undefined ||
    command?.type !== 'bot_command' ||
    command.offset !== 0 ||
    typeof command.length !== 'number'
  ) {
    return { starts: [], ignored: 1 };
  }

  const [name, addressee] = text.slice(0, command.length).split('@');
  if (name !== START || !isForBot(addressee, botUsername)) return { starts: [], ignored: 1 };

  const payload = text.slice(command.length).trim();
  const fullName = [asText(from?.first_name), asText(from?.last_name)].filter(Boolean).join(' ');
  return {
    starts: [
      {
        platform: 'telegram',
        deliveryId,
        occurredAt,
        accountId: null,
        contact: compact({
          key,
          name: fullName === '' ? undefined : fullName,
          username: asText(from?.username),
        }),
        ...carriedRef(payload, 'start'),
        reentry: false,
      },
    ],
    ignored: 0,
  };
}

/** Bot usernames are case-insensitive (spec/channels.md §2.1); a leading `@` in the config is fine. */
function isForBot(addressee: string | undefined, botUsername: string | undefined): boolean {
  if (addressee === undefined || botUsername === undefined) return true;
  return addressee.toLowerCase() === botUsername.replace(/^@/, '').toLowerCase();
}
