import { ChatmarkError } from '../errors.js';
import { type AttributionModel, TOUCH_TYPES, type TouchType, type Windows } from './types.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Default windows of every model but billboard: clicks and chats started count for 30 days (the
 * "within 30 days" of spec/metrics.md §1); exposures for 24 h, the only exposure window the spec
 * names (§2, billboard).
 */
export const DEFAULT_WINDOWS: Windows = Object.freeze({
  click: 30 * DAY_MS,
  chat_started: 30 * DAY_MS,
  exposure: 24 * HOUR_MS,
});

/**
 * Billboard defaults (spec/metrics.md §2): exposure 24 h, click 72 h. Billboard never looks at chats
 * started; their window is set to the click window only so that the record is complete.
 */
export const BILLBOARD_DEFAULT_WINDOWS: Windows = Object.freeze({
  click: 72 * HOUR_MS,
  chat_started: 72 * HOUR_MS,
  exposure: 24 * HOUR_MS,
});

/** time_decay half-life H (spec/metrics.md §2: default 7 days, the Google Ads definition). */
export const DEFAULT_HALF_LIFE_MS = 7 * DAY_MS;

/**
 * The default windows of a model.
 *
 * @example defaultWindows('billboard').click === 72 * HOUR_MS
 */
export function defaultWindows(model: AttributionModel): Windows {
  return model === 'billboard' ? BILLBOARD_DEFAULT_WINDOWS : DEFAULT_WINDOWS;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
};
const DURATION = /^(\d+)\s*(ms|s|m|h|d|w)$/;

/**
 * Parses a window such as `30d`, `24h`, `7d`, `2w`, `90m` (minutes, as in Go durations) into
 * milliseconds. Months and years are refused: their length varies, so a report could not be
 * reproduced from its stored window. Throws ChatmarkError `invalid_window` (field `window`).
 *
 * @example parseWindow('24h') === 86_400_000
 */
export function parseWindow(input: string): number {
  const text = typeof input === 'string' ? input.trim().toLowerCase() : '';
  const match = DURATION.exec(text);
  if (match === null) {
    throw new ChatmarkError(
      'invalid_window',
      `Not a window: ${JSON.stringify(input)}; use a whole number and a unit, e.g. 30d, 24h, 90m (units: w, d, h, m, s, ms)`,
      'window',
    );
  }
  return checkWindow(Number(match[1]) * UNIT_MS[match[2]!]!, input);
}

/**
 * Formats milliseconds in the largest unit that divides them exactly, the inverse of parseWindow.
 * Days rather than weeks, because reports say "within 30 days".
 *
 * @example formatWindow(72 * HOUR_MS) === '3d'; formatWindow(36 * HOUR_MS) === '36h'
 */
export function formatWindow(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * Merges window overrides (milliseconds or strings for parseWindow) over the model's defaults and
 * checks every value. Throws ChatmarkError `invalid_window` (field `window`).
 *
 * @example resolveWindows('linear', { click: '7d' }) // { click: 7d, chat_started: 30d, exposure: 24h }
 */
export function resolveWindows(
  model: AttributionModel,
  overrides: Partial<Record<TouchType, number | string>> = {},
): Windows {
  const windows = { ...defaultWindows(model) };
  for (const type of TOUCH_TYPES) {
    const value = overrides[type];
    if (value === undefined) continue;
    windows[type] = typeof value === 'string' ? parseWindow(value) : checkWindow(value, value, type);
  }
  return Object.freeze(windows);
}

/** A window is a positive whole number of milliseconds; zero would keep only touches at exactly T. */
function checkWindow(ms: number, input: unknown, type?: string): number {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    const what = type === undefined ? 'window' : `${type} window`;
    throw new ChatmarkError(
      'invalid_window',
      `The ${what} must be a positive whole number of milliseconds, got ${String(input)}`,
      'window',
    );
  }
  return ms;
}
