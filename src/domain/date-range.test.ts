import { describe, expect, it } from 'vitest';
import { checkPlausible, checkRange, MAX_RANGE_DAYS, parseIsoTime } from './date-range.js';
import { ChatmarkError } from './errors.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** The error a call throws, as its wire shape (or undefined when it does not throw). */
function errorOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ChatmarkError) return error.toJSON();
    throw error;
  }
  return undefined;
}

describe('parseIsoTime', () => {
  it.each([
    ['2026-11-01', at('2026-11-01T00:00:00Z')],
    ['2026-11-01T10:30:00Z', at('2026-11-01T10:30:00Z')],
    ['2026-11-01T10:30:00.250+02:00', at('2026-11-01T08:30:00.250Z')],
    ['2026-11-01T10:30Z', at('2026-11-01T10:30:00Z')],
  ])('reads %s', (value, ms) => {
    expect(parseIsoTime(value, 'from')).toBe(ms);
  });

  // Date.parse takes "1" as 2001-01-01 and "2026-02-30" as March 2nd.
  it.each(['1', 'yesterday', 'March 7, 2020', '2026-02-30', '2026-02-30T10:00:00Z', '2026-11-01 10:00', ''])(
    'refuses %j',
    (value) => {
      expect(errorOf(() => parseIsoTime(value, 'to'))).toMatchObject({ code: 'invalid_date', field: 'to' });
    },
  );
});

describe('checkRange', () => {
  it('takes a year, leap day included', () => {
    expect(errorOf(() => checkRange(at('2028-01-01'), at('2029-01-01')))).toBeUndefined();
    expect(MAX_RANGE_DAYS).toBe(366);
  });

  it.each([
    [
      'a day over the longest period',
      at('2026-01-01'),
      at('2026-01-01') + 367 * DAY,
      'range_too_long',
      'from',
    ],
    ['the issue: year 1 to 9999', at('0001-01-01'), at('9999-12-31'), 'invalid_range', 'from'],
    ['fifty years', at('2000-01-01'), at('2050-01-01'), 'range_too_long', 'from'],
    ['before 2000', at('1999-12-31'), at('2000-01-02'), 'invalid_range', 'from'],
    ['after 2100', at('2100-12-01'), at('2101-01-02'), 'invalid_range', 'to'],
    ['to before from', at('2026-11-02'), at('2026-11-01'), 'invalid_range', 'from'],
    ['an empty period', at('2026-11-01'), at('2026-11-01'), 'invalid_range', 'from'],
    ['NaN', Number.NaN, at('2026-11-01'), 'invalid_range', 'from'],
  ])('refuses %s', (_name, from, to, code, field) => {
    expect(errorOf(() => checkRange(from, to))).toMatchObject({ code, field });
  });

  it('names the longest period in the message', () => {
    expect(errorOf(() => checkRange(at('2025-01-01'), at('2026-06-01')))?.message).toBe(
      'The period is 516 days; the longest is 366 days',
    );
  });

  it('lets a period end at the very end of 2100', () => {
    expect(errorOf(() => checkRange(at('2100-12-01'), at('2101-01-01')))).toBeUndefined();
    expect(errorOf(() => checkPlausible(at('2000-01-01'), 'date'))).toBeUndefined();
  });
});
