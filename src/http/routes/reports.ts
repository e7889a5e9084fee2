import { ATTRIBUTION_GROUP_BYS } from '../../domain/reports/params.js';
import { describeParams, reportParams } from '../../services/report-params.js';
import { attributionReport, funnelReport } from '../../services/reports.service.js';
import type { AppContext, ZodApp } from '../app.js';
import {
  attributionQuery,
  attributionReport as attributionView,
  funnelQuery,
  funnelReport as funnelView,
} from '../contract/reports.js';

/**
 * A report can have thousands of rows, and the zod serializer parses every one again before
 * writing it: about 3× JSON.stringify's time (10,000 funnel rows: ~125 ms against ~42 ms, all of it
 * holding the event loop). So reports are written as the service built them. The handlers' return
 * types are checked against the contract at compile time, and test/http/openapi.test.ts parses
 * real answers with it, so the document still says what is sent.
 */
const asBuilt = () => (data: unknown) => JSON.stringify(data);

/**
 * `GET /api/reports/funnel` and `GET /api/reports/attribution`: every number with the model,
 * windows and period that produced it.
 */
export function reportRoutes(app: ZodApp, ctx: AppContext): void {
  app.get(
    '/api/reports/funnel',
    {
      config: { role: 'viewer' },
      serializerCompiler: asBuilt,
      schema: {
        tags: ['reports'],
        summary:
          'The funnel: reach → clicks → chats → qualified → converted, with every KPI and its interval',
        description:
          'Rows per group (and currency): reach, impressions, spend, landing_visits, link_clicks, chats_started, qualified, conversions (credited under the model), revenue (purchases net of refunds, minor units), the KPIs (null on a zero denominator), intervals (95% Wilson), immediate and assisted counts, and with_assisted (the over-attributing view). spend, reach and impressions are per campaign and day, so other groupings leave them null.',
        querystring: funnelQuery,
        response: { 200: funnelView },
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
      serializerCompiler: asBuilt,
      schema: {
        tags: ['reports'],
        summary:
          'Credited vs claimed per campaign or channel, immediate and assisted, and unattributed conversions',
        querystring: attributionQuery,
        response: { 200: attributionView },
      },
    },
    async (request) => {
      const params = reportParams(request.query, ctx.now(), ATTRIBUTION_GROUP_BYS);
      const report = await attributionReport(ctx.store.db, {
        ...params,
        groupBy: params.groupBy as (typeof ATTRIBUTION_GROUP_BYS)[number],
      });
      return { parameters: { ...describeParams(params), conversion: report.conversion }, ...report };
    },
  );
}
