import type { Command } from 'commander';
import { Option } from 'commander';
import { buildLink } from '../../domain/channels/index.js';
import type { Channel, ChannelLink, LinkRequest } from '../../domain/channels/types.js';
import { SMS_PLATFORMS } from '../../domain/channels/types.js';
import { action, type JsonOption, jsonOption, printJson, printLines, printWarnings } from '../output.js';

type Field = keyof LinkRequest;

/**
 * Every link flag, named after the LinkRequest field it fills (`--share-url` → `shareUrl`), so the
 * parsed options are the request itself. Which fields a channel takes is decided below; what
 * their values must look like is decided by the domain builders.
 */
const FLAGS: Record<Field, () => Option> = {
  phone: () => new Option('--phone <number>', 'phone number: international (+…) or national with --country'),
  country: () => new Option('--country <CC>', 'ISO 3166 country for a phone number in national format'),
  username: () => new Option('--username <username>', 'account or bot username'),
  start: () => new Option('--start <payload>', 'bot start payload'),
  shareUrl: () => new Option('--share-url <url>', 'URL to share (share link)'),
  uri: () => new Option('--uri <bot-uri>', 'bot chat URI'),
  context: () => new Option('--context <context>', 'bot context, passed to the bot'),
  page: () => new Option('--page <page>', 'Page name or id'),
  id: () => new Option('--id <@id>', 'LINE Official Account id'),
  to: () => new Option('--to <address>', 'recipient address'),
  subject: () => new Option('--subject <subject>', 'subject line'),
  platform: () =>
    new Option('--platform <platform>', 'body syntax of the target phone').choices(SMS_PLATFORMS),
  text: () => new Option('--text <text>', 'prefilled text'),
  ref: () => new Option('--ref <token>', "ref token, put in the channel's own carrier"),
};

interface ChannelCommand {
  description: string;
  required: readonly Field[];
  optional: readonly Field[];
}

/** The flags each channel takes (the interface; spec/channels.md §9 for the carriers). */
const CHANNEL_COMMANDS: Record<Channel, ChannelCommand> = {
  whatsapp: {
    description: 'wa.me link with prefilled text; the ref goes visibly into it',
    required: ['phone'],
    optional: ['country', 'text', 'ref'],
  },
  telegram: {
    description: 't.me link: bot (ref in start), user, phone or share link',
    required: [],
    optional: ['username', 'start', 'phone', 'country', 'shareUrl', 'text', 'ref'],
  },
  viber: {
    description: 'viber:// link: bot (ref in context) or phone number',
    required: [],
    optional: ['uri', 'context', 'phone', 'country', 'text', 'ref'],
  },
  messenger: {
    description: 'm.me link to a Facebook Page (ref in ref)',
    required: ['page'],
    optional: ['ref', 'text'],
  },
  instagram: {
    description: 'ig.me link to an Instagram account (ref in ref)',
    required: ['username'],
    optional: ['ref'],
  },
  line: {
    description: 'line.me link to a LINE Official Account, prefilled text',
    required: ['id'],
    optional: ['text'],
  },
  signal: {
    description: 'signal.me link to a phone number (no text, no ref)',
    required: ['phone'],
    optional: ['country'],
  },
  sms: {
    description: 'sms: link with a prefilled body',
    required: ['phone'],
    optional: ['country', 'text', 'platform'],
  },
  email: {
    description: 'mailto: link with subject and body',
    required: ['to'],
    optional: ['subject', 'text'],
  },
};

type LinkOptions = LinkRequest & JsonOption;

/**
 * `chatmark link <channel> …`: builds a click-to-chat link offline, no server needed.
 *
 * @example chatmark link whatsapp --phone '011 15-2345-6789' --country AR --json
 */
export function registerLinkCommand(program: Command): void {
  const link = program.command('link').description('build a click-to-chat link for one channel (offline)');

  for (const [channel, spec] of Object.entries(CHANNEL_COMMANDS) as [Channel, ChannelCommand][]) {
    const command = link.command(channel).description(spec.description);
    for (const field of spec.required) command.addOption(FLAGS[field]().makeOptionMandatory());
    for (const field of spec.optional) command.addOption(FLAGS[field]());
    command.addOption(jsonOption()).action(
      action(({ json, ...request }: LinkOptions) => {
        printLink(buildLink(channel, request), json === true);
        return 0;
      }),
    );
  }
}

function printLink(link: ChannelLink, json: boolean): void {
  if (json) {
    const { channel, url, appUrl, carrier, text, warnings } = link;
    printJson({ channel, url, appUrl, carrier, text, warnings });
    return;
  }
  const lines = [link.url];
  if (link.appUrl !== null) lines.push(`app: ${link.appUrl}`);
  lines.push(`carrier: ${link.carrier}`);
  if (link.text !== null) lines.push(`text: ${link.text}`);
  printLines(...lines);
  printWarnings(link.warnings);
}
