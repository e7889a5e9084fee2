import { describe, expect, it } from 'vitest';
import { buildTelegram } from './telegram.js';

describe('buildTelegram bot links (spec/channels.md §2.1–§2.3)', () => {
  it('puts the ref in start, replacing an explicit start with a warning (§0)', () => {
    const link = buildTelegram({ username: 'acme_support_bot', start: 'c_spring26', ref: 'WFED-BNKX' });
    expect(link.url).toBe('https://t.me/acme_support_bot?start=WFED-BNKX');
    expect(link.appUrl).toBe('tg://resolve?domain=acme_support_bot&start=WFED-BNKX');
    expect(link.carrier).toBe('start');
    expect(link.warnings).toEqual(['The ref replaces the start payload "c_spring26" you set']);
  });

  it('says nothing when start and ref agree', () => {
    expect(
      buildTelegram({ username: 'acme_support_bot', start: 'WFED-BNKX', ref: 'WFED-BNKX' }).warnings,
    ).toEqual([]);
  });

  it('accepts @name and bot usernames in any case ("not case sensitive", §2.1)', () => {
    expect(buildTelegram({ username: '@AcmeBot', ref: 'WFED-BNKX' }).url).toBe(
      'https://t.me/AcmeBot?start=WFED-BNKX',
    );
  });

  it('accepts a 64-character payload, the §2.3 maximum', () => {
    const start = 'a'.repeat(64);
    expect(buildTelegram({ username: 'acme_bot', start }).url).toBe(`https://t.me/acme_bot?start=${start}`);
  });

  it('gives a bot a draft when there is no start and no ref', () => {
    const link = buildTelegram({ username: 'acme_bot', text: 'Hi' });
    expect(link.url).toBe('https://t.me/acme_bot?text=Hi');
    expect(link.carrier).toBe('start');
  });

  it('gives a bare bot link when there is nothing else', () => {
    expect(buildTelegram({ username: 'acme_bot' })).toMatchObject({
      url: 'https://t.me/acme_bot',
      appUrl: 'tg://resolve?domain=acme_bot',
      text: null,
      warnings: [],
    });
  });
});

describe('buildTelegram drafts to people and channels (spec/channels.md §2.1)', () => {
  it('accepts a 5-character username', () => {
    expect(buildTelegram({ username: 'acme1' }).url).toBe('https://t.me/acme1');
  });

  it('has no hidden carrier, so the ref is visible in the draft', () => {
    const link = buildTelegram({ username: 'acme_support', text: 'Hi', ref: 'WFED-BNKX' });
    expect(link.url).toBe('https://t.me/acme_support?text=Hi%20(ref%20WFED-BNKX)');
    expect(link.appUrl).toBe('tg://resolve?domain=acme_support&text=Hi%20(ref%20WFED-BNKX)');
    expect(link.carrier).toBe('text');
    expect(link.warnings).toEqual([
      'Telegram links to people and channels cannot carry a hidden ref; the token is visible in the text and users can delete it',
    ]);
  });

  it('warns that clients put a space before a draft starting with @', () => {
    expect(buildTelegram({ username: 'acme_support', text: '@acme hi' }).warnings).toEqual([
      expect.stringContaining('"@"'),
    ]);
  });

  it('accepts a draft of exactly 4,096 code points (§2.1 TDLib limit), warning about its length', () => {
    const link = buildTelegram({ username: 'acme_support', text: 'a'.repeat(4_096) });
    expect(link.text).toHaveLength(4_096);
    expect(link.warnings).toEqual([expect.stringContaining('2000')]);
  });
});

describe('buildTelegram phone links (spec/channels.md §2.1, §7)', () => {
  it('puts + in the path but not in the tg:// query (TDLib reads + as a space)', () => {
    const link = buildTelegram({ phone: '011 15-2345-6789', country: 'AR', text: 'Hola' });
    expect(link.url).toBe('https://t.me/+5491123456789?text=Hola');
    expect(link.appUrl).toBe('tg://resolve?phone=5491123456789&text=Hola');
  });

  it('carries the ref visibly and warns about privacy settings (§10 q8)', () => {
    const link = buildTelegram({ phone: '+447911123456', ref: 'WFED-BNKX' });
    expect(link.url).toBe('https://t.me/+447911123456?text=(ref%20WFED-BNKX)');
    expect(link.carrier).toBe('text');
    expect(link.warnings).toEqual([
      'Telegram phone links cannot carry a hidden ref; the token is visible in the text and users can delete it',
      "Telegram phone links open only if the person's phone-number privacy settings allow it",
    ]);
  });
});

describe('buildTelegram share links (spec/channels.md §2.1)', () => {
  it('encodes the shared URL and appends the ref to the text', () => {
    const link = buildTelegram({
      shareUrl: 'https://acme.example/o?a=1&b=2',
      text: 'Look',
      ref: 'WFED-BNKX',
    });
    expect(link.url).toBe(
      'https://t.me/share/url?url=https%3A%2F%2Facme.example%2Fo%3Fa%3D1%26b%3D2&text=Look%20(ref%20WFED-BNKX)',
    );
    expect(link.appUrl).toBe(
      'tg://msg_url?url=https%3A%2F%2Facme.example%2Fo%3Fa%3D1%26b%3D2&text=Look%20(ref%20WFED-BNKX)',
    );
    expect(link.text).toBe('Look (ref WFED-BNKX)');
    expect(link.warnings).toHaveLength(1);
  });

  it('leaves text out when there is none', () => {
    expect(buildTelegram({ shareUrl: 'http://acme.example' }).url).toBe(
      'https://t.me/share/url?url=http%3A%2F%2Facme.example',
    );
  });
});
