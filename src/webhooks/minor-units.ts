/**
 * Decimal money strings → integer minor units, exactly (DESIGN.md "The funnel": money is stored in
 * integer minor units with an ISO 4217 currency). The decimal is read as digits, never multiplied
 * as a float: `19.99 * 100` is `1998.9999999999998` and `1.005 * 100` is `100.49999999999999`.
 */

/**
 * ISO 4217 minor-unit exponents other than 2. Taken from the ISO list rather than from
 * Intl.NumberFormat, which follows CLDR display digits and differs for some codes (IQD: ISO 3,
 * CLDR 0; several currencies that ISO gives 2 display with 0).
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** ISO 4217 codes with no minor unit at all (precious metals, fund and test codes). */
const NO_MINOR_UNIT = new Set([
  'XAU',
  'XAG',
  'XPT',
  'XPD',
  'XDR',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XSU',
  'XUA',
  'XTS',
  'XXX',
]);

const CURRENCY = /^[A-Z]{3}$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The number of decimal places of a currency's minor unit (ISO 4217), or undefined for a code
 * that is not three uppercase letters or has no minor unit.
 *
 * @example currencyExponent('JPY') === 0; currencyExponent('USD') === 2; currencyExponent('KWD') === 3
 */
export function currencyExponent(currency: string): number | undefined {
  if (!CURRENCY.test(currency) || NO_MINOR_UNIT.has(currency)) return undefined;
  return EXPONENTS[currency] ?? 2;
}

/**
 * The amount in integer minor units, or undefined when it is not a plain decimal (`"19.99"`,
 * `"-5"`, `"1000.00"`), carries non-zero digits below the minor unit (`"19.999"` USD, `"1000.5"`
 * JPY: refused rather than rounded, since a wrong total is worse than none), exceeds
 * Number.MAX_SAFE_INTEGER minor units, or the currency is unknown. A number is read through its
 * shortest decimal form, so `0.1 + 0.2` (`0.30000000000000004`) is refused.
 *
 * @example toMinorUnits('19.99', 'USD') === 1999; toMinorUnits('1000.00', 'JPY') === 1000
 */
export function toMinorUnits(amount: string | number, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  const match = DECIMAL.exec(typeof amount === 'number' ? String(amount) : amount);
  if (exponent === undefined || match === null) return undefined;
  const [, sign, whole, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(exponent))) return undefined;
  const digits = `${whole}${fraction.slice(0, exponent).padEnd(exponent, '0')}`;
  const minor = BigInt(digits);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const value = Number(minor);
  // `-0` would compare equal to 0 but serialise oddly in some places; keep plain zero.
  return sign === '-' && value !== 0 ? -value : value;
}
