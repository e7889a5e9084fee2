import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, toMinorUnits } from './minor-units.js';

describe('currencyExponent (ISO 4217 minor units)', () => {
  it.each([
    { currency: 'JPY', exponent: 0 },
    { currency: 'KRW', exponent: 0 },
    { currency: 'CLP', exponent: 0 },
    { currency: 'USD', exponent: 2 },
    { currency: 'EUR', exponent: 2 },
    { currency: 'BRL', exponent: 2 },
    { currency: 'KWD', exponent: 3 },
    { currency: 'BHD', exponent: 3 },
    // ISO says 3 where CLDR (Intl.NumberFormat) displays 0: the stored unit follows ISO.
    { currency: 'IQD', exponent: 3 },
    { currency: 'CLF', exponent: 4 },
  ])('$currency → $exponent', ({ currency, exponent }) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each(['usd', 'US', 'USDT', '', 'XAU', 'XXX'])('refuses %j (malformed, or no minor unit)', (currency) => {
    expect(currencyExponent(currency)).toBeUndefined();
  });
});

describe('toMinorUnits: exact decimal → integer minor units', () => {
  it.each([
    { amount: '19.99', currency: 'USD', minor: 1999 },
    { amount: '0.29', currency: 'USD', minor: 29 },
    { amount: '1.005', currency: 'KWD', minor: 1005 },
    { amount: '1.10', currency: 'EUR', minor: 110 },
    { amount: '1.1', currency: 'EUR', minor: 110 },
    { amount: '7', currency: 'USD', minor: 700 },
    { amount: '0.00', currency: 'USD', minor: 0 },
    { amount: '-5.25', currency: 'USD', minor: -525 },
    { amount: '-0.00', currency: 'USD', minor: 0 },
    { amount: '1500', currency: 'JPY', minor: 1500 },
    { amount: '1500.00', currency: 'JPY', minor: 1500 },
    { amount: '12.345', currency: 'KWD', minor: 12345 },
    { amount: '12.3', currency: 'KWD', minor: 12300 },
    { amount: '19.9900', currency: 'USD', minor: 1999 },
    { amount: '0012.50', currency: 'USD', minor: 1250 },
    { amount: '90071992547409.91', currency: 'USD', minor: Number.MAX_SAFE_INTEGER },
    { amount: 19.99, currency: 'USD', minor: 1999 },
  ])('$amount $currency → $minor', ({ amount, currency, minor }) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
  });

  it('gets right what float multiplication gets wrong', () => {
    expect(19.99 * 100).not.toBe(1999);
    expect(1.005 * 1000).not.toBe(1005);
    expect(toMinorUnits('19.99', 'USD')).toBe(1999);
    expect(toMinorUnits('1.005', 'KWD')).toBe(1005);
  });

  it.each([
    { case: 'digits below the minor unit (USD)', amount: '19.999', currency: 'USD' },
    { case: 'a fraction of a yen', amount: '1500.5', currency: 'JPY' },
    { case: '0.1 + 0.2 as a float', amount: 0.1 + 0.2, currency: 'USD' },
    { case: 'exponent notation', amount: '1e3', currency: 'USD' },
    { case: 'a number in exponent form', amount: 1e21, currency: 'USD' },
    { case: 'thousands separator', amount: '1,000.00', currency: 'USD' },
    { case: 'decimal comma', amount: '19,99', currency: 'EUR' },
    { case: 'leading plus', amount: '+1.00', currency: 'USD' },
    { case: 'dot without digits', amount: '19.', currency: 'USD' },
    { case: 'no integer part', amount: '.5', currency: 'USD' },
    { case: 'spaces', amount: ' 19.99', currency: 'USD' },
    { case: 'empty', amount: '', currency: 'USD' },
    { case: 'NaN', amount: Number.NaN, currency: 'USD' },
    { case: 'unknown currency format', amount: '1.00', currency: 'usd' },
    { case: 'beyond MAX_SAFE_INTEGER minor units', amount: '90071992547409.92', currency: 'USD' },
  ])('refuses $case', ({ amount, currency }) => {
    expect(toMinorUnits(amount, currency)).toBeUndefined();
  });

  const currency = fc.constantFrom('JPY', 'USD', 'EUR', 'KWD', 'CLF');
  const minorUnits = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

  /** The decimal string of `minor` minor units, with `extraZeros` trailing zeros (as "1500.00" JPY). */
  function decimal(minor: number, exponent: number, extraZeros: number): string {
    const digits = Math.abs(minor)
      .toString()
      .padStart(exponent + 1, '0');
    const whole = digits.slice(0, digits.length - exponent);
    const fraction = digits.slice(digits.length - exponent) + '0'.repeat(extraZeros);
    return `${minor < 0 ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
  }

  it('reads back every amount written with the currency exponent, trailing zeros or not (property)', () => {
    fc.assert(
      fc.property(minorUnits, currency, fc.nat(3), (minor, code, extraZeros) => {
        const exponent = currencyExponent(code)!;
        expect(toMinorUnits(decimal(minor, exponent, extraZeros), code)).toBe(minor);
      }),
    );
  });

  it('refuses any amount with a non-zero digit below the minor unit (property)', () => {
    fc.assert(
      fc.property(minorUnits, currency, fc.integer({ min: 1, max: 9 }), (minor, code, digit) => {
        const exponent = currencyExponent(code)!;
        const written = decimal(minor, exponent, 0);
        const finer = `${written}${exponent === 0 ? '.' : ''}${digit}`;
        expect(toMinorUnits(finer, code)).toBeUndefined();
      }),
    );
  });

  it('adds exactly where floats drift: the sum of parsed cents equals the parsed sum (property)', () => {
    const cents = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(cents, cents, (a, b) => {
        const sum = toMinorUnits(decimal(a + b, 2, 0), 'USD');
        expect(sum).toBe(toMinorUnits(decimal(a, 2, 0), 'USD')! + toMinorUnits(decimal(b, 2, 0), 'USD')!);
      }),
    );
  });
});
