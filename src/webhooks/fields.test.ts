import { describe, expect, it } from 'vitest';
import { asId, asWholeNumber, compact, flexibleEpochMs, secondsToMs } from './fields.js';

describe('webhook field readers', () => {
  it.each([
    { value: 123456789, id: '123456789' },
    { value: 'US.1349', id: 'US.1349' },
    { value: '', id: undefined },
    { value: 1.5, id: undefined },
    { value: null, id: undefined },
    { value: { id: 1 }, id: undefined },
  ])('asId($value) → $id', ({ value, id }) => {
    expect(asId(value)).toBe(id);
  });

  it.each([
    { value: '1750000000', number: 1750000000 },
    { value: 1750000000, number: 1750000000 },
    { value: '-1', number: undefined },
    { value: -1, number: undefined },
    { value: '17.5', number: undefined },
    { value: '99999999999999999', number: undefined },
    { value: Number.NaN, number: undefined },
  ])('asWholeNumber($value) → $number', ({ value, number }) => {
    expect(asWholeNumber(value)).toBe(number);
  });

  it('reads WhatsApp/Telegram seconds and Meta milliseconds-or-seconds', () => {
    expect(secondsToMs('1750000000')).toBe(1_750_000_000_000);
    expect(flexibleEpochMs(1458692752478)).toBe(1458692752478);
    expect(flexibleEpochMs('1527459824')).toBe(1_527_459_824_000);
    expect(flexibleEpochMs('soon')).toBeUndefined();
  });

  it('compact drops undefined properties only', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: '' })).toEqual({ a: 1, c: null, d: '' });
    expect(Object.keys(compact({ a: undefined }))).toEqual([]);
  });
});
