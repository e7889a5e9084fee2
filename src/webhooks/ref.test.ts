import { describe, expect, it } from 'vitest';
import { stableDeliveryId } from './delivery-id.js';
import { carriedRef, textRef } from './ref.js';

describe('carriedRef: Telegram start, Messenger/Instagram ref, Viber context (spec/channels.md §0)', () => {
  it.each([
    { value: '7KQ2M9X1', token: '7KQ2M9X1', why: 'canonical token' },
    { value: '7KQ2-M9X1', token: '7KQ2M9X1', why: 'printed token, as the link builders write it' },
    { value: '7KQ2-M9X2', token: null, why: 'check character fails' },
    { value: '7kq2m9x1', token: null, why: 'lower case: not how Chatmark writes a carrier' },
    { value: '7KQ2 M9X1', token: null, why: 'a space cannot be in a machine-written carrier' },
    { value: 'c_K7Q2MXr9', token: null, why: 'the spec example ref is not a Chatmark token' },
    { value: 'x7KQ2M9X1', token: null, why: 'token inside a longer value' },
  ])('$value → $token ($why)', ({ value, token }) => {
    expect(carriedRef(value, 'start')).toEqual({ ref: value, token, refSource: 'start' });
  });

  it.each([undefined, ''])('%j → no ref', (value) => {
    expect(carriedRef(value, 'context')).toEqual({ ref: null, token: null, refSource: null });
  });
});

describe('textRef (spec/channels.md §1.5.1)', () => {
  it('takes the first text holding a token, tolerant of what a person types', () => {
    expect(textRef(['no token here', 'ref 7kq2 m9x1', 'TG76-QCN1'])).toEqual({
      ref: '7KQ2M9X1',
      token: '7KQ2M9X1',
      refSource: 'text',
    });
  });

  it('answers no ref for texts without a valid token', () => {
    expect(textRef(['(ref: SPR-K7Q2)', 'Telegram'])).toEqual({ ref: null, token: null, refSource: null });
    expect(textRef([])).toEqual({ ref: null, token: null, refSource: null });
  });
});

describe('stableDeliveryId', () => {
  it('is a short hash, the same for the same parts', () => {
    const id = stableDeliveryId(['PSID', 1458692752478, 'c_K7Q2MXr9']);
    expect(id).toMatch(/^h:[0-9a-f]{32}$/);
    expect(stableDeliveryId(['PSID', 1458692752478, 'c_K7Q2MXr9'])).toBe(id);
  });

  it('does not confuse parts that join to the same text', () => {
    expect(stableDeliveryId(['a|b', 'c'])).not.toBe(stableDeliveryId(['a', 'b|c']));
    expect(stableDeliveryId(['1', null])).not.toBe(stableDeliveryId([1, 'null']));
  });
});
