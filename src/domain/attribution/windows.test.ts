import { describe, expect, it } from 'vitest';
import { ChatmarkError } from '../errors.js';
import {
  BILLBOARD_DEFAULT_WINDOWS,
  DAY_MS,
  DEFAULT_HALF_LIFE_MS,
  DEFAULT_WINDOWS,
  defaultWindows,
  formatWindow,
  HOUR_MS,
  MINUTE_MS,
  parseWindow,
  resolveWindows,
} from './windows.js';

describe('parseWindow (spec/metrics.md §2: windows per touch type)', () => {
  it.each([
    ['30d', 30 * DAY_MS],
    ['24h', 24 * HOUR_MS],
    ['7d', 7 * DAY_MS],
    ['72h', 72 * HOUR_MS],
    ['2w', 14 * DAY_MS],
    ['90m', 90 * MINUTE_MS],
    ['45s', 45_000],
    ['1500ms', 1500],
    [' 30D ', 30 * DAY_MS],
    ['12 h', 12 * HOUR_MS],
  ])('%j → %d ms', (input, ms) => {
    expect(parseWindow(input)).toBe(ms);
  });

  it.each([
    ['empty', ''],
    ['no unit', '30'],
    ['no number', 'd'],
    ['months are refused (their length varies)', '1mo'],
    ['years are refused', '1y'],
    ['fractions', '1.5d'],
    ['negative', '-3d'],
    ['zero', '0h'],
    ['unknown unit', '3x'],
    ['two durations', '1d12h'],
    ['beyond safe integers', '99999999999999999d'],
  ])('refuses %s (%j) with invalid_window on window', (_, input) => {
    let error: unknown;
    try {
      parseWindow(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChatmarkError);
    expect(error).toMatchObject({ code: 'invalid_window', field: 'window' });
  });

  it('refuses a non-string at run time', () => {
    expect(() => parseWindow(30 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'invalid_window', field: 'window' }),
    );
  });
});

describe('formatWindow', () => {
  it.each([
    [30 * DAY_MS, '30d'],
    [72 * HOUR_MS, '3d'],
    [36 * HOUR_MS, '36h'],
    [90 * MINUTE_MS, '90m'],
    [45_000, '45s'],
    [1500, '1500ms'],
  ])('%d ms → %s, which parses back', (ms, text) => {
    expect(formatWindow(ms)).toBe(text);
    expect(parseWindow(text)).toBe(ms);
  });
});

describe('default windows (documented in windows.ts)', () => {
  it('clicks and chats 30 days, exposures 24 h for the window-based models', () => {
    expect(DEFAULT_WINDOWS).toEqual({
      click: 30 * DAY_MS,
      chat_started: 30 * DAY_MS,
      exposure: 24 * HOUR_MS,
    });
    for (const model of ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const) {
      expect(defaultWindows(model)).toBe(DEFAULT_WINDOWS);
    }
  });

  it('billboard: exposure 24 h, click 72 h (spec/metrics.md §2 billboard)', () => {
    expect(defaultWindows('billboard')).toBe(BILLBOARD_DEFAULT_WINDOWS);
    expect(BILLBOARD_DEFAULT_WINDOWS.exposure).toBe(24 * HOUR_MS);
    expect(BILLBOARD_DEFAULT_WINDOWS.click).toBe(72 * HOUR_MS);
  });

  it('time_decay half-life defaults to 7 days (spec/metrics.md §2 time_decay)', () => {
    expect(DEFAULT_HALF_LIFE_MS).toBe(7 * DAY_MS);
  });

  it('defaults are frozen', () => {
    expect(Object.isFrozen(DEFAULT_WINDOWS)).toBe(true);
    expect(Object.isFrozen(BILLBOARD_DEFAULT_WINDOWS)).toBe(true);
  });
});

describe('resolveWindows', () => {
  it('merges strings and milliseconds over the model defaults', () => {
    expect(resolveWindows('linear', { click: '7d', exposure: 2 * HOUR_MS })).toEqual({
      click: 7 * DAY_MS,
      chat_started: 30 * DAY_MS,
      exposure: 2 * HOUR_MS,
    });
    expect(resolveWindows('billboard', { exposure: '12h' })).toEqual({
      click: 72 * HOUR_MS,
      chat_started: 72 * HOUR_MS,
      exposure: 12 * HOUR_MS,
    });
    expect(resolveWindows('first_touch')).toEqual(DEFAULT_WINDOWS);
  });

  it.each([
    ['zero', { click: 0 }],
    ['negative', { exposure: -HOUR_MS }],
    ['fractional', { chat_started: 1.5 }],
    ['NaN', { click: Number.NaN }],
    ['Infinity', { click: Number.POSITIVE_INFINITY }],
    ['bad string', { click: 'a month' }],
  ])('refuses %s with invalid_window on window', (_, overrides) => {
    expect(() => resolveWindows('linear', overrides)).toThrow(
      expect.objectContaining({ code: 'invalid_window', field: 'window' }),
    );
  });
});
