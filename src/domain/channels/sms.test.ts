import { describe, expect, it } from 'vitest';
import { buildSms } from './sms.js';

describe('buildSms (spec/channels.md §6.3)', () => {
  it.each([
    [undefined, 'sms:+15105550101?body=hi%20%26%20bye%202%2B2'],
    ['generic', 'sms:+15105550101?body=hi%20%26%20bye%202%2B2'],
    ['android', 'sms:+15105550101?body=hi%20%26%20bye%202%2B2'],
    ['ios', 'sms:+15105550101&body=hi%20%26%20bye%202%2B2'],
  ] as const)('platform %s → %s', (platform, url) => {
    expect(buildSms({ phone: '+15105550101', text: 'hi & bye 2+2', platform }).url).toBe(url);
  });

  it('writes the number in E.164 with + after parsing a national one', () => {
    expect(buildSms({ phone: '(510) 555-0101', country: 'US' }).url).toBe('sms:+15105550101');
  });

  it('carries the ref visibly in the body', () => {
    const link = buildSms({ phone: '+15105550101', ref: 'WFED-BNKX', platform: 'ios' });
    expect(link).toEqual({
      channel: 'sms',
      url: 'sms:+15105550101&body=(ref%20WFED-BNKX)',
      appUrl: null,
      carrier: 'text',
      text: '(ref WFED-BNKX)',
      warnings: ['SMS cannot carry a hidden ref; the token is visible in the text and users can delete it'],
    });
  });
});
