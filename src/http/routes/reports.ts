import { z } from 'zod';
import { describeParams, reportParams } from '../../services/report-params.js';
import { attributionReport, funnelReport } from '../../services/reports.service.js';
import type { AppContext, ZodApp } from '../app.js';

const query = z.object({
  campaignId: z.coerce.number().int().positive().optional(),
  from: z
    .string()
    .optional()
    .describe(
      'ISO date or time; default: 30 days before `to`. At most 366 days before `to` (range_too_long), from 2000 on (invalid_range)',
    ),
  to: z.string().optional().describe('ISO date (inclusive) or time (exclusive), through 2100; default: now'),
  groupBy: z
    .string()
    .optional()
    .describe('campaign | channel | source | variant | link (its short code) | day'),
  model: z
    .string()
    .optional()
    .describe('last_touch (default) | first_touch | linear | time_decay | position_based | billboard'),
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

/**
 * `GET /api/reports/funnel` and `GET /api/reports/attribution`: every number with the model,
 * windows and period that produced it.
 */
export function reportRoutes(app: ZodApp, ctx: AppContext): void {
  app.get(
    '/api/reports/funnel',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['reports'],
        summary:
          'The funnel: reach → clicks → chats → qualified → converted, with every KPI and its interval',
        description:
          'Rows per group (and currency): reach, impressions, spend, landing_visits, link_clicks, chats_started, qualified, conversions (credited under the model), revenue (purchases net of refunds, minor units), the KPIs (null on a zero denominator), intervals (95% Wilson), immediate and assisted counts, and with_assisted (the over-attributing view). spend, reach and impressions are per campaign and day, so other groupings leave them null.',
        querystring: query,
      },
    },
    async (request) => {
      const params = reportParams(request.query, ctx.now());
      const report = await funnelReport(ctx.store.db, params);
      return {
        parameters: { ...describeParams(params), conversion: report.conversion },
        rows: report.rows,
        unattributed: report.unattributed,
      };
    },
  );
  app.get(
    '/api/reports/attribution',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['reports'],
        summary:
          'Credited vs claimed per campaign or channel, immediate and assisted, and unattributed conversions',
        querystring: query,
      },
    },
    async (request) => {
      const params = reportParams(request.query, ctx.now(), ['campaign', 'channel']);
      const report = await attributionReport(ctx.store.db, {
        ...params,
        groupBy: params.groupBy as 'campaign' | 'channel',
      });
      return { parameters: { ...describeParams(params), conversion: report.conversion }, ...report };
    },
  );
}
