import { describe, expect, it } from 'vitest';
import { ChatmarkError } from './errors.js';
import { parsePhone } from './phone.js';

// spec/channels.md §7, "Tested behaviour, using libphonenumber-js/max with {extract:false}".
describe('parsePhone (spec/channels.md §7)', () => {
  it.each([
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+44 (0)7700 900123', undefined, '+447700900123'],
    ['00 44 7700 900123', 'DE', '+447700900123'],
    ['011 7 800 555 35 35', 'US', '+78005553535'],
    ['011 15-2345-6789', 'AR', '+5491123456789'],
    ['+55 11 91234-5678', undefined, '+5511912345678'],
  ])('%s in %s → %s', (input, country, e164) => {
    const phone = parsePhone(input, country);
    expect(phone.e164).toBe(e164);
    expect(phone.digits).toBe(e164.slice(1));
  });

  it('needs a default country for an IDD prefix (0049 30 123456 without one)', () => {
    expect(() => parsePhone('0049 30 123456')).toThrowError(ChatmarkError);
  });

  it.each([
    ['123', 'US', 'invalid_phone', 'phone'],
    ['hello', undefined, 'invalid_phone', 'phone'],
    ['', 'US', 'missing_field', 'phone'],
    ['+1 415 555 2671', 'XX', 'invalid_country', 'country'],
  ])('refuses %j (%s) with %s on %s', (input, country, code, field) => {
    try {
      parsePhone(input, country);
      expect.unreachable('parsePhone should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ChatmarkError);
      expect((error as ChatmarkError).code).toBe(code);
      expect((error as ChatmarkError).field).toBe(field);
    }
  });
});
