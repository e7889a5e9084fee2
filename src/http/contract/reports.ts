import { z } from 'zod';
import { ATTRIBUTION_MODELS } from '../../domain/attribution/types.js';
import { RATE_KPIS } from '../../domain/funnel.js';
import { ATTRIBUTION_GROUP_BYS, GROUP_BYS } from '../../domain/reports/params.js';
import { closedSet } from './common.js';

/** The funnel and attribution reports: every number with the model, windows and period behind it. */

export const attributionModel = closedSet(ATTRIBUTION_MODELS, 'invalid_model');
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

const reportQuery = z.object({
  campaignId: z.coerce.number().int().positive().optional(),
  from: z
    .string()
    .optional()
    .describe(
      'ISO date or time; default: 30 days before `to`. At most 366 days before `to` (range_too_long), from 2000 on (invalid_range)',
    ),
  to: z.string().optional().describe('ISO date (inclusive) or time (exclusive), through 2100; default: now'),
  groupBy: closedSet(GROUP_BYS, 'invalid_group_by')
    .optional()
    .describe('`link` groups by the short code; default campaign'),
  model: attributionModel.optional().describe('default last_touch'),
  window: z
    .string()
    .optional()
    .describe('click and chat-start window, e.g. 30d (default 30d; billboard 72h)'),
  exposureWindow: z.string().optional().describe('exposure window, e.g. 24h'),
  halfLife: z.string().optional().describe('time_decay half-life, e.g. 7d'),
  conversion: z
    .string()
    .optional()
    .describe("the conversion event; default the campaign's primary, else purchase"),
});
export const funnelQuery = reportQuery;
export const attributionQuery = reportQuery.extend({
  groupBy: closedSet(ATTRIBUTION_GROUP_BYS, 'invalid_group_by').optional().describe('default campaign'),
});

const windows = z
  .object({ click: z.string(), chat_started: z.string(), exposure: z.string() })
  .describe('the attribution window per touch type, e.g. 30d, 24h');
const parameters = z.object({
  campaignId: z.number().nullable(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(GROUP_BYS),
  model: z.enum(ATTRIBUTION_MODELS),
  windows,
  halfLife: z.string().nullable().describe('time_decay only'),
  conversion: z.string().describe('the conversion event counted'),
});

const rate = z.number().nullable();
const money = z.number().nullable();
/** One group (and currency) of the funnel. Rates are null on a zero denominator. */
export const funnelRow = z.object({
  key: z.string(),
  currency: z.string().nullable(),
  reach: z.number().nullable(),
  impressions: z.number().nullable(),
  spend: money.describe('minor units of `currency`; null when the grouping carries no spend'),
  landing_visits: z.number(),
  link_clicks: z.number(),
  chats_started: z.number(),
  qualified: z.number(),
  conversions: z.number().describe('credited under the model (may be fractional)'),
  revenue: z.number().describe('purchases net of refunds, minor units of `currency`'),
  cpm: money,
  ctr: rate,
  click_to_message_rate: rate,
  chat_start_rate: rate,
  qualification_rate: rate,
  conversion_rate: rate,
  cpa: money,
  cost_per_qualified_lead: money,
  roi: rate,
  intervals: z
    .record(z.enum(RATE_KPIS), z.tuple([z.number(), z.number()]).nullable())
    .describe('the 95% Wilson interval of each rate; null when the rate is null or no proportion'),
  immediate: z.number(),
  assisted: z.number(),
  with_assisted: z
    .object({ conversions: z.number(), revenue: z.number(), cpa: money, roi: rate })
    .describe('the over-attributing view: assisted conversions added in'),
});
export type FunnelRow = z.output<typeof funnelRow>;

export const funnelReport = z.object({
  parameters,
  rows: z.array(funnelRow),
  unattributed: z.number().describe('conversions with no touch in the window'),
});
export type FunnelReport = z.output<typeof funnelReport>;

const byCurrency = z.record(z.string(), z.number()).describe('minor units per currency');
/** One campaign (slug) or channel of the attribution report. */
export const attributionRow = z.object({
  key: z.string(),
  credited: z.number().describe('the share of conversions the key gets under the model'),
  claimed: z.number().describe('conversions in which the key has any touch: the same under every model'),
  immediate: z.number(),
  assisted: z.number(),
  value: byCurrency.describe('credited value per currency, minor units'),
});
export type AttributionRow = z.output<typeof attributionRow>;

export const attributionReport = z.object({
  parameters,
  conversion: z.string(),
  conversions: z.number(),
  value: byCurrency,
  rows: z.array(attributionRow),
  unattributed: z.object({ count: z.number(), value: byCurrency }),
});
export type AttributionReport = z.output<typeof attributionReport>;
