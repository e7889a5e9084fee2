import type { AttributionModel, Windows } from '../attribution/index.js';

/** What a report's rows are grouped by. */
export const GROUP_BYS = ['campaign', 'channel', 'source', 'variant', 'link', 'day'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The groupings of the attribution report: the keys a touch carries itself. */
export const ATTRIBUTION_GROUP_BYS = ['campaign', 'channel'] as const satisfies readonly GroupBy[];

/** A report's explicit parameters (services/report-params.ts resolves them from a query). */
export interface ReportParams {
  campaignId?: number | undefined;
  from: number;
  to: number;
  groupBy: GroupBy;
  model: AttributionModel;
  windows: Windows;
  halfLifeMs?: number | undefined;
  /** The conversion event; default: the campaign's primary conversion, else `purchase`. */
  conversion?: string | undefined;
}
