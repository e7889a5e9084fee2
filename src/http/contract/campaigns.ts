import { z } from 'zod';
import { isoDate, money, moneyInput, utmValues } from './common.js';
import { linkChannel } from './links.js';

/** Campaigns and their changelog: requests and answers side by side. */

export const campaignBody = z
  .object({
    name: z.string().min(1).max(200),
    owner: z.string().min(1).max(200),
    slug: z.string().min(1).max(100).optional(),
    channels: z.array(linkChannel).optional(),
    utm: utmValues.optional(),
    budgetCap: moneyInput.nullable().optional(),
    startsAt: isoDate.nullable().optional(),
    endsAt: isoDate.nullable().optional(),
    rollbackCriteria: z.record(z.string(), z.unknown()).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    primaryConversion: z.string().min(1).max(64).optional(),
  })
  .strict();
/** The body of `POST /api/campaigns` (`PATCH` takes any part of it). */
export type CampaignBody = z.input<typeof campaignBody>;

export const campaignPatch = campaignBody.partial();

export const campaignView = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  owner: z.string(),
  channels: z.array(z.string()),
  utm: z.record(z.string(), z.string()),
  budgetCap: money.nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  rollbackCriteria: z.unknown(),
  notes: z.string().nullable(),
  primaryConversion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Campaign = z.output<typeof campaignView>;

export const campaignList = z.object({ campaigns: z.array(campaignView) });
export type CampaignList = z.output<typeof campaignList>;

export const campaignChange = z.object({
  field: z.string(),
  old: z.unknown(),
  new: z.unknown(),
  actorKeyId: z.number().nullable(),
  at: z.string(),
});
export type CampaignChange = z.output<typeof campaignChange>;

export const changelog = z.object({ changes: z.array(campaignChange) });
export type Changelog = z.output<typeof changelog>;
