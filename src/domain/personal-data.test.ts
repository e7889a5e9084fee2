import { describe, expect, it } from 'vitest';
import { growthRatio } from '../../test/support/growth.js';
import { personalDataIn } from './personal-data.js';
import { lintUtm } from './utm.js';

describe('personalDataIn', () => {
  it.each([
    ['ana@example.com', 'an email address'],
    ['write to Ana.B+promo@mail.example.co.uk today', 'an email address'],
    ['josé@correo.ejemplo.es', 'an email address'],
    ['+44 7911 123456', 'a phone number'],
    ['0044 7911 123456', 'a phone number'],
    ['(011) 15-2345-6789', 'a phone number'],
  ])('finds %j: %s', (value, found) => {
    expect(personalDataIn(value)).toBe(found);
  });

  it.each(['spring_sale', '1234567890123', 'a@b', 'user@localhost', '@handle', 'x@y.z', '2026-11-23'])(
    'finds nothing in %j',
    (value) => {
      expect(personalDataIn(value)).toBeNull();
    },
  );

  // The email pattern used to backtrack over the whole value from every position: a 50,000-character
  // utm value took 12 s in `utm lint`.
  it.each([
    ['letters', (n: number) => 'a'.repeat(n)],
    ['plus signs', (n: number) => '+'.repeat(n)],
    ['dotted labels', (n: number) => 'a.'.repeat(n / 2)],
    ['@ after @', (n: number) => 'a@'.repeat(n / 2)],
    ['domains with no top level', (n: number) => 'a@a.'.repeat(n / 4)],
    ['digits and spaces', (n: number) => '1 '.repeat(n / 2)],
    ['a digit then separators', (n: number) => `1${'('.repeat(n)}`],
  ])('runs in linear time on %s (time for 8n / time for n < 40)', (_what, make) => {
    expect(growthRatio(make, personalDataIn, 12_500)).toBeLessThan(40);
    const url = (value: string) =>
      `https://a.example/?utm_source=${value}&utm_medium=${value}&utm_campaign=x`;
    expect(growthRatio((n) => url(make(n)), lintUtm, 12_500)).toBeLessThan(40);
  });
});
