import {
  ATTRIBUTION_MODELS,
  type AttributionModel,
  parseWindow,
  resolveWindows,
} from '../domain/attribution/index.js';
import { checkRange, parseIsoTime } from '../domain/date-range.js';
import { ChatmarkError } from '../domain/errors.js';
import { GROUP_BYS, type GroupBy, type ReportParams } from '../domain/reports/params.js';
import { TOUCH_HORIZON_MS } from '../store/touches.repository.js';

const DAY = 86_400_000;

/** What a person asks a report for, as the API's query and the CLI's flags both spell it. */
export interface ReportQuery {
  campaignId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  groupBy?: string | undefined;
  model?: string | undefined;
  /** One window for clicks and chat starts, e.g. `30d`. */
  window?: string | undefined;
  exposureWindow?: string | undefined;
  halfLife?: string | undefined;
  conversion?: string | undefined;
}

const time = (value: string | undefined, field: string, fallback: number): number =>
  value === undefined ? fallback : parseIsoTime(value, field);

/**
 * Resolves a report query into explicit parameters (defaults: the last 30 days, last touch,
 * 30-day click and chat windows); the report echoes them so every number can be reproduced.
 * The period is checked here (`checkRange`: plausible dates, at most a year).
 */
export function reportParams(
  query: ReportQuery,
  now: number,
  allowed: readonly GroupBy[] = GROUP_BYS,
): ReportParams {
  const groupBy = (query.groupBy ?? 'campaign') as GroupBy;
  if (!allowed.includes(groupBy)) {
    throw new ChatmarkError('invalid_group_by', `groupBy must be one of ${allowed.join(', ')}`, 'groupBy');
  }
  const model = (query.model ?? 'last_touch') as AttributionModel;
  if (!ATTRIBUTION_MODELS.includes(model)) {
    throw new ChatmarkError(
      'invalid_model',
      `model must be one of ${ATTRIBUTION_MODELS.join(', ')}`,
      'model',
    );
  }
  const to = time(query.to, 'to', now);
  // A date-only `to` means "through that day".
  const toInclusive = query.to !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? to + DAY : to;
  const from = time(query.from, 'from', toInclusive - 30 * DAY);
  // Before anything reads the store: a year-long report is the most one request may ask for.
  checkRange(from, toInclusive);
  const windows = resolveWindows(model, {
    ...(query.window !== undefined && { click: query.window, chat_started: query.window }),
    ...(query.exposureWindow !== undefined && { exposure: query.exposureWindow }),
  });
  for (const [type, ms] of Object.entries(windows)) {
    if (ms > TOUCH_HORIZON_MS) {
      throw new ChatmarkError(
        'window_too_long',
        `The ${type} window is longer than the ${TOUCH_HORIZON_MS / DAY} days of touches Chatmark keeps per conversion`,
        type === 'exposure' ? 'exposureWindow' : 'window',
      );
    }
  }
  return {
    campaignId: query.campaignId,
    from,
    to: toInclusive,
    groupBy,
    model,
    windows,
    ...(query.halfLife !== undefined && { halfLifeMs: parseWindow(query.halfLife) }),
    ...(query.conversion !== undefined && { conversion: query.conversion }),
  };
}

/** The parameters as a report states them. */
export function describeParams(params: ReportParams) {
  return {
    campaignId: params.campaignId ?? null,
    from: new Date(params.from).toISOString(),
    to: new Date(params.to).toISOString(),
    groupBy: params.groupBy,
    model: params.model,
    windows: {
      click: `${params.windows.click / DAY}d`,
      chat_started: `${params.windows.chat_started / DAY}d`,
      exposure: `${params.windows.exposure / 3_600_000}h`,
    },
    halfLife: params.model === 'time_decay' ? `${(params.halfLifeMs ?? 7 * DAY) / DAY}d` : null,
  };
}
