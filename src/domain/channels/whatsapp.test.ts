import { describe, expect, it } from 'vitest';
import { buildWhatsApp } from './whatsapp.js';

const VISIBLE =
  'WhatsApp cannot carry a hidden ref; the token is visible in the text and users can delete it';

describe('buildWhatsApp (spec/channels.md §1)', () => {
  it('normalises a national AR number through parsePhone (§1.2, §7)', () => {
    const link = buildWhatsApp({ phone: '011 15-2345-6789', country: 'AR' });
    expect(link).toEqual({
      channel: 'whatsapp',
      url: 'https://wa.me/5491123456789',
      appUrl: 'whatsapp://send?phone=5491123456789',
      carrier: 'text',
      text: null,
      warnings: [],
    });
  });

  it('puts the ref visibly at the end of the text, with one warning (§1.5.1)', () => {
    const link = buildWhatsApp({ phone: '+447911123456', text: 'Hi! Spring offer?', ref: '7KQ2-M9XH' });
    expect(link.url).toBe('https://wa.me/447911123456?text=Hi!%20Spring%20offer%3F%20(ref%207KQ2-M9XH)');
    expect(link.appUrl).toBe(
      'whatsapp://send?phone=447911123456&text=Hi!%20Spring%20offer%3F%20(ref%207KQ2-M9XH)',
    );
    expect(link.text).toBe('Hi! Spring offer? (ref 7KQ2-M9XH)');
    expect(link.warnings).toEqual([VISIBLE]);
  });

  it('makes the ref the whole text when there is no text', () => {
    const link = buildWhatsApp({ phone: '+447911123456', ref: '7KQ2-M9XH' });
    expect(link.url).toBe('https://wa.me/447911123456?text=(ref%207KQ2-M9XH)');
    expect(link.text).toBe('(ref 7KQ2-M9XH)');
  });

  it.each([
    ['2+2', '2%2B2'],
    ['fish & chips', 'fish%20%26%20chips'],
    ['#1', '%231'],
    ['50%', '50%25'],
    ['line 1\nline 2', 'line%201%0Aline%202'],
    ['Привет 👋', '%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%20%F0%9F%91%8B'],
    ['مرحبا', '%D9%85%D8%B1%D8%AD%D8%A8%D8%A7'],
    ['bad \uD83D end', 'bad%20%EF%BF%BD%20end'],
  ])('encodes %j as %s (§1.3: never + for space)', (text, encoded) => {
    expect(buildWhatsApp({ phone: '+447911123456', text }).url).toBe(
      `https://wa.me/447911123456?text=${encoded}`,
    );
  });

  it('warns when the link passes 2,000 characters (§1.3 practical advice)', () => {
    const link = buildWhatsApp({ phone: '+447911123456', text: 'a'.repeat(2_000) });
    expect(link.url.length).toBeGreaterThan(2_000);
    expect(link.warnings).toEqual([expect.stringContaining('2000')]);
  });
});
