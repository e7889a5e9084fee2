import { CHANNELS } from '../../src/domain/channels/types.js';
import { DEFAULT_MEDIUM_VOCABULARY } from '../../src/domain/utm.js';
import type { Carrier, LinkChannel as Channel } from '../../src/http/contract/links.js';

/** What a link can open: one of the apps, or a web page (`web`). */
export const LINK_CHANNELS: readonly Channel[] = [...CHANNELS, 'web'];

/**
 * What the link builder asks for per channel: the `target` fields of POST /api/links, grouped
 * into "modes" where a channel takes exactly one kind of target (Telegram: a username, a phone
 * or a URL to share; Viber: a bot or a phone).
 */

export interface FieldDef {
  /** The `target` key the API expects. */
  name: string;
  label: string;
  placeholder?: string;
  hint?: string;
  type?: 'text' | 'tel' | 'email' | 'url';
  options?: readonly { value: string; label: string }[];
  required?: boolean;
}

export interface ModeDef {
  id: string;
  label: string;
  fields: readonly FieldDef[];
}

export interface ChannelDef {
  label: string;
  modes: readonly ModeDef[];
  /** Whether a prefilled text makes sense: `warn` means the API accepts it but drops it. */
  text: 'yes' | 'no' | 'warn';
  textLabel?: string;
  /** Web links take UTM parameters; chat links carry the ref token instead. */
  utm: boolean;
}

const phone: FieldDef = {
  name: 'phone',
  label: 'Phone number',
  type: 'tel',
  placeholder: '+44 7911 123456',
  hint: 'International format, or national format with the country below.',
  required: true,
};
const country: FieldDef = {
  name: 'country',
  label: 'Country',
  placeholder: 'GB',
  hint: 'Two letters; only needed when the number has no +country code.',
};
const one = (fields: readonly FieldDef[]): readonly ModeDef[] => [{ id: 'default', label: '', fields }];

export const CHANNEL_DEFS: Readonly<Record<Channel, ChannelDef>> = {
  whatsapp: { label: 'WhatsApp', modes: one([phone, country]), text: 'yes', utm: false },
  telegram: {
    label: 'Telegram',
    modes: [
      {
        id: 'username',
        label: 'User or bot',
        fields: [
          { name: 'username', label: 'Username', placeholder: 'acme_bot', required: true },
          {
            name: 'start',
            label: 'Bot start payload',
            placeholder: 'spring',
            hint: 'Bots only (usernames ending in “bot”). Tracked links put each click’s ref here instead.',
          },
        ],
      },
      { id: 'phone', label: 'Phone', fields: [phone, country] },
      {
        id: 'shareUrl',
        label: 'Share a URL',
        fields: [
          {
            name: 'shareUrl',
            label: 'URL to share',
            type: 'url',
            placeholder: 'https://shop.example/spring',
            required: true,
          },
        ],
      },
    ],
    text: 'yes',
    utm: false,
  },
  viber: {
    label: 'Viber',
    modes: [
      {
        id: 'uri',
        label: 'Bot',
        fields: [
          { name: 'uri', label: 'Bot URI', placeholder: 'acmebot', required: true },
          { name: 'context', label: 'Context', placeholder: 'spring', hint: 'Letters, digits, _ and -.' },
        ],
      },
      { id: 'phone', label: 'Phone', fields: [phone, country] },
    ],
    text: 'yes',
    utm: false,
  },
  messenger: {
    label: 'Messenger',
    modes: one([{ name: 'page', label: 'Page name or id', placeholder: 'acmeshop', required: true }]),
    text: 'yes',
    utm: false,
  },
  instagram: {
    label: 'Instagram',
    modes: one([{ name: 'username', label: 'Instagram username', placeholder: 'acme.shop', required: true }]),
    text: 'no',
    utm: false,
  },
  line: {
    label: 'LINE',
    modes: one([{ name: 'id', label: 'Official Account id', placeholder: '@abc1234d', required: true }]),
    text: 'yes',
    utm: false,
  },
  signal: { label: 'Signal', modes: one([phone, country]), text: 'warn', utm: false },
  sms: {
    label: 'SMS',
    modes: one([
      phone,
      country,
      {
        name: 'platform',
        label: 'Phones it is for',
        hint: 'iOS and Android separate the body differently; generic works on both.',
        options: [
          { value: 'generic', label: 'Generic (both)' },
          { value: 'ios', label: 'iOS' },
          { value: 'android', label: 'Android' },
        ],
      },
    ]),
    text: 'yes',
    utm: false,
  },
  email: {
    label: 'Email',
    modes: one([
      { name: 'to', label: 'To', type: 'email', placeholder: 'sales@shop.example', required: true },
      { name: 'subject', label: 'Subject', placeholder: 'Spring offer' },
    ]),
    text: 'yes',
    textLabel: 'Body',
    utm: false,
  },
  web: {
    label: 'Web page',
    modes: one([
      {
        name: 'url',
        label: 'Destination URL',
        type: 'url',
        placeholder: 'https://shop.example/spring',
        required: true,
      },
    ]),
    text: 'no',
    utm: true,
  },
};

/** Where the ref token travels, in words, for the preview. */
export const CARRIER_TEXT: Readonly<Record<Carrier, string>> = {
  text: 'Visibly inside the prefilled text — people can delete it before sending.',
  start: 'Hidden in the Telegram start payload.',
  ref: 'Hidden in the Messenger / Instagram ref parameter.',
  context: 'Hidden in the Viber context.',
  none: 'Not carried: chats from this link cannot be matched to a click.',
  cm_click: 'In the cm_click URL parameter of the landing page.',
};

/** The mediums the UTM naming convention allows: the server's own list, not a copy. */
export const UTM_MEDIUMS = DEFAULT_MEDIUM_VOCABULARY;
