import { describe, expect, it } from 'vitest';
import { buildEmail, toCrlf } from './email.js';

describe('buildEmail (spec/channels.md §6.4, RFC 6068)', () => {
  it('builds a bare mailto: without a query', () => {
    expect(buildEmail({ to: 'sales@example.com' })).toEqual({
      channel: 'email',
      url: 'mailto:sales@example.com',
      appUrl: null,
      carrier: 'text',
      text: null,
      warnings: [],
    });
  });

  it.each([
    ['\n', 'a%0D%0Ab'],
    ['\r\n', 'a%0D%0Ab'],
    ['\r', 'a%0D%0Ab'],
    ['\n\n', 'a%0D%0A%0D%0Ab'],
  ])('writes the line break %j as %%0D%%0A', (lineBreak, body) => {
    expect(buildEmail({ to: 'sales@example.com', text: `a${lineBreak}b` }).url).toBe(
      `mailto:sales@example.com?body=${body}`,
    );
  });

  it('encodes the subject: spaces %20, brackets, + as %2B', () => {
    expect(buildEmail({ to: 'sales@example.com', subject: 'Enquiry [ref SPR-K7Q2] 1+1' }).url).toBe(
      'mailto:sales@example.com?subject=Enquiry%20%5Bref%20SPR-K7Q2%5D%201%2B1',
    );
  });

  it('puts the ref in the body, visibly', () => {
    const link = buildEmail({ to: 'sales@example.com', subject: 'Hi', ref: 'WFED-BNKX' });
    expect(link.url).toBe('mailto:sales@example.com?subject=Hi&body=(ref%20WFED-BNKX)');
    expect(link.text).toBe('(ref WFED-BNKX)');
    expect(link.warnings).toEqual([
      'Email cannot carry a hidden ref; the token is visible in the text and users can delete it',
    ]);
  });

  it.each([
    ['sales+eu@example.com', 'mailto:sales+eu@example.com'],
    ["o'brien@example.co.uk", "mailto:o'brien@example.co.uk"],
    ['a#b@example.com', 'mailto:a%23b@example.com'],
    ['a?b@example.com', 'mailto:a%3Fb@example.com'],
    ['100%@example.com', 'mailto:100%25@example.com'],
    ['josé@example.com', 'mailto:jos%C3%A9@example.com'],
  ])('writes the address %s as %s (RFC 6068 qchar)', (to, url) => {
    const link = buildEmail({ to });
    expect(link.url).toBe(url);
    expect(decodeURIComponent(link.url.slice('mailto:'.length))).toBe(to);
  });
});

describe('toCrlf', () => {
  it.each([
    ['a\nb\r\nc\rd', 'a\r\nb\r\nc\r\nd'],
    ['no breaks', 'no breaks'],
    ['\r\n\r\n', '\r\n\r\n'],
  ])('%j → %j', (text, normalised) => {
    expect(toCrlf(text)).toBe(normalised);
  });
});
