import { describe, expect, it } from 'vitest';
import { buildLine } from './line.js';

const PC = 'LINE links do not open in LINE for PC (macOS, Windows)';

describe('buildLine (spec/channels.md §6.1)', () => {
  it('percent-encodes the @ and has no app scheme (line:// is deprecated)', () => {
    expect(buildLine({ id: '@abc1234d' })).toEqual({
      channel: 'line',
      url: 'https://line.me/R/oaMessage/%40abc1234d/',
      appUrl: null,
      carrier: 'text',
      text: null,
      warnings: [PC],
    });
  });

  it('follows ? directly with the text, not key=value, and adds the ref visibly', () => {
    const link = buildLine({ id: 'my.shop-1_x', text: 'a=b & c', ref: 'WFED-BNKX' });
    expect(link.url).toBe('https://line.me/R/oaMessage/%40my.shop-1_x/?a%3Db%20%26%20c%20(ref%20WFED-BNKX)');
    expect(link.text).toBe('a=b & c (ref WFED-BNKX)');
    expect(link.warnings).toEqual([
      'LINE cannot carry a hidden ref; the token is visible in the text and users can delete it',
      PC,
    ]);
  });
});
