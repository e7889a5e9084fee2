import { describe, expect, it } from 'vitest';
import { buildSignal, SIGNAL_ME } from './signal.js';

describe('buildSignal (spec/channels.md §6.2)', () => {
  it.each([
    ['+447911123456', undefined],
    ['011 15-2345-6789', 'AR'],
    ['(415) 555-2671', 'US'],
    ['+55 11 91234-5678', undefined],
    ['00 44 7700 900123', 'DE'],
  ])("%s (%s) matches Signal-Android's regex with a literal +", (phone, country) => {
    const link = buildSignal({ phone, country });
    expect(link.url).toMatch(SIGNAL_ME);
    expect(link.appUrl).toMatch(SIGNAL_ME);
    expect(link.url.startsWith('https://')).toBe(true);
    expect(link.appUrl?.startsWith('sgnl://')).toBe(true);
    expect(link.url).not.toContain('%2B');
  });

  it('is the regex from SignalMeUtil.kt, so a %2B link would not match (issue #11627)', () => {
    expect(SIGNAL_ME.source).toBe('^(https|sgnl):\\/\\/signal\\.me\\/#p\\/(\\+[0-9]+)$');
    expect('https://signal.me/#p/%2B447911123456').not.toMatch(SIGNAL_ME);
  });

  it('takes no text and no ref: carrier none, with a warning for each', () => {
    const link = buildSignal({ phone: '+447911123456', text: 'Hi', ref: 'WFED-BNKX' });
    expect(link).toEqual({
      channel: 'signal',
      url: 'https://signal.me/#p/+447911123456',
      appUrl: 'sgnl://signal.me/#p/+447911123456',
      carrier: 'none',
      text: null,
      warnings: [
        'Signal links cannot carry text; it is left out',
        'Signal links cannot carry a ref; chats from this link stay unattributed',
      ],
    });
  });
});
