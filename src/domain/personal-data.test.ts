import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { growthRatio } from '../../test/support/growth.js';
import { containsEmail, containsPhone, personalDataIn } from './personal-data.js';
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

describe('containsPhone and containsEmail (identifiers and event properties)', () => {
  it.each([
    '+44 7911 123456',
    'lead-+447911123456',
    'call 0044 7911 123456 today',
    '(011) 15-2345-6789',
    '+1 (510) 555-0101',
    '415-555-0132',
  ])('finds a phone number in %j', (value) => {
    expect(containsPhone(value)).toBe(true);
  });

  it.each([
    '550e8400-e29b-41d4-a716-446655440000',
    'ORD-2026-1123-4567',
    'order-1234567890123',
    '2026-11-23 10:00:00',
    '2026-11-23',
    'a+447911123456',
    'sku 12-34',
  ])('finds no phone number in %j', (value) => {
    expect(containsPhone(value)).toBe(false);
  });

  it('takes almost no random UUID for personal data (the loose UTM rule takes about one in eight)', () => {
    const uuids = Array.from({ length: 20_000 }, () => randomUUID());
    const strict = uuids.filter((uuid) => containsPhone(uuid) || containsEmail(uuid)).length;
    const loose = uuids.filter((uuid) => personalDataIn(uuid) !== null).length;
    // A number in international form can hide in a UUID's digit groups (~1 in 20,000); more is a bug.
    expect(strict).toBeLessThan(10);
    expect(loose).toBeGreaterThan(1000);
  });

  it('reads an international number only after a country code that does not start with 0', () => {
    expect(containsPhone('0000199a-0000-1000-8000-000a00000000')).toBe(false);
    expect(containsPhone('x-0012-3456-7890')).toBe(true);
  });
});
