import { z } from 'zod';
import { CHANNELS, SMS_PLATFORMS } from '../../domain/channels/types.js';
import { isoDate, utmValues } from './common.js';

/** Links, their preview, statistics and the click export: requests and answers side by side. */

/** A link's channel: one of the apps, or `web` for a page that gets UTM tags and `cm_click`. */
export const linkChannel = z.enum([...CHANNELS, 'web']);
export type LinkChannel = z.infer<typeof linkChannel>;

/** Where the per-click ref token travels: into the chat, or as `cm_click` on a web page. */
export const carrier = z.enum(['text', 'start', 'ref', 'context', 'none', 'cm_click']);
export type Carrier = z.infer<typeof carrier>;

const target = z
  .object({
    phone: z.string().optional(),
    country: z.string().optional(),
    username: z.string().optional(),
    start: z.string().optional(),
    shareUrl: z.string().optional(),
    uri: z.string().optional(),
    context: z.string().optional(),
    page: z.string().optional(),
    id: z.string().optional(),
    to: z.string().optional(),
    subject: z.string().optional(),
    platform: z.enum(SMS_PLATFORMS).optional(),
    url: z.string().optional(),
  })
  .strict()
  .describe("The channel's fields, as the CLI flags name them; `url` for web links");

export const linkBody = z
  .object({
    campaignId: z.number().int().positive().nullable().optional(),
    channel: linkChannel,
    target,
    text: z.string().max(10_000).nullable().optional(),
    utm: utmValues.optional(),
    variant: z.string().max(64).nullable().optional(),
    code: z.string().optional(),
    expiresAt: isoDate.nullable().optional(),
    maxClicks: z.number().int().positive().nullable().optional(),
  })
  .strict();
/** The body of `POST /api/links` and `POST /api/links/preview`. */
export type LinkBody = z.input<typeof linkBody>;

export const linkPatch = linkBody.omit({ code: true }).partial().strict();

export const linkPreview = z.object({
  channel: z.string(),
  destinationPreview: z.string(),
  appUrl: z.string().nullable(),
  carrier,
  text: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type LinkPreview = z.output<typeof linkPreview>;

export const linkView = z.object({
  id: z.number(),
  code: z.string(),
  shortUrl: z.string(),
  channel: z.string(),
  campaignId: z.number().nullable(),
  target: z.record(z.string(), z.string()),
  text: z.string().nullable(),
  utm: z.record(z.string(), z.string()),
  variant: z.string().nullable(),
  expiresAt: z.string().nullable(),
  maxClicks: z.number().nullable(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  destinationPreview: z.string(),
  carrier,
  warnings: z.array(z.string()),
});
export type Link = z.output<typeof linkView>;

export const linkListQuery = z.object({
  campaignId: z.coerce.number().int().positive().optional(),
  archived: z.enum(['true', 'false']).optional(),
});
export const linkList = z.object({ links: z.array(linkView) });
export type LinkList = z.output<typeof linkList>;

export const statsQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

const counts = z.record(z.string(), z.number());
export const linkStats = z.object({
  linkId: z.number(),
  from: z.string(),
  to: z.string(),
  clicks: z.number(),
  humanClicks: z.number(),
  botClicks: z.number(),
  uniqueVisitors: z.number(),
  qrScans: z.number(),
  byDay: z.array(z.object({ day: z.string(), clicks: z.number(), humanClicks: z.number() })),
  byDevice: counts.describe('human clicks per device type'),
  byBrowser: counts.describe('human clicks per browser'),
  byReferrer: counts.describe('human clicks per referrer host'),
});
export type LinkStats = z.output<typeof linkStats>;

export const clicksQuery = z.object({
  linkId: z.coerce.number().int().positive().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const clickExport = z.object({
  clicks: z.array(
    z.object({
      clickId: z.string().describe('the click id (its ref token)'),
      linkId: z.number(),
      at: z.string(),
      visitor: z
        .string()
        .describe("salted hash of the visitor's address and user agent; the salt rotates daily"),
      device: z.string(),
      os: z.string().nullable(),
      browser: z.string().nullable(),
      referrerHost: z.string().nullable(),
      qr: z.boolean(),
      bot: z.boolean(),
      botReason: z.string().nullable(),
      country: z.string().nullable(),
      adIds: z
        .record(z.string(), z.string())
        .nullable()
        .describe('gclid, fbclid, … as the ad platform appended them'),
    }),
  ),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});
export type ClickExport = z.output<typeof clickExport>;
