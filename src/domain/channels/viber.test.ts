import { describe, expect, it } from 'vitest';
import { buildViber, VIBER_BROWSER_WARNING } from './viber.js';

describe('buildViber bot chats (spec/channels.md §3.1)', () => {
  it('has no https form: url and appUrl are the same viber:// link, with a warning', () => {
    const link = buildViber({ uri: 'acmebot', ref: 'WFED-BNKX' });
    expect(link).toEqual({
      channel: 'viber',
      url: 'viber://pa?chatURI=acmebot&context=WFED-BNKX',
      appUrl: 'viber://pa?chatURI=acmebot&context=WFED-BNKX',
      carrier: 'context',
      text: null,
      warnings: [VIBER_BROWSER_WARNING],
    });
  });

  it('lets the ref replace an explicit context, and says so', () => {
    const link = buildViber({ uri: 'acmebot', context: 'c_K7Q2MXr9', ref: 'WFED-BNKX', text: 'Hi' });
    expect(link.url).toBe('viber://pa?chatURI=acmebot&context=WFED-BNKX&text=Hi');
    expect(link.warnings).toEqual([
      'The ref replaces the context "c_K7Q2MXr9" you set',
      VIBER_BROWSER_WARNING,
    ]);
  });

  it('percent-encodes the chat URI', () => {
    expect(buildViber({ uri: 'acme&bot' }).url).toBe('viber://pa?chatURI=acme%26bot');
  });
});

describe('buildViber phone chats (spec/channels.md §3.1, §7)', () => {
  it('writes the + as %2B, never raw, and puts the ref visibly in the draft', () => {
    const link = buildViber({ phone: '+447911123456', text: 'Hi', ref: 'WFED-BNKX' });
    expect(link.url).toBe('viber://chat?number=%2B447911123456&draft=Hi%20(ref%20WFED-BNKX)');
    expect(link.url).not.toContain('+');
    expect(link.appUrl).toBe(link.url);
    expect(link.carrier).toBe('text');
    expect(link.text).toBe('Hi (ref WFED-BNKX)');
    expect(link.warnings).toEqual([
      'Viber phone chats cannot carry a hidden ref; the token is visible in the text and users can delete it',
      'Viber phone chats carry no attribution to any API: they open a person, not a bot',
      VIBER_BROWSER_WARNING,
    ]);
  });

  it('parses a national number with the request country', () => {
    expect(buildViber({ phone: '068 137 4018', country: 'UA' }).url).toBe(
      'viber://chat?number=%2B380681374018',
    );
  });
});
