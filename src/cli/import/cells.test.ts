import { describe, expect, it } from 'vitest';
import { cell, countCell, textCell } from './cells.js';

describe('cells', () => {
  it('reads a cell, an empty one as absent', () => {
    expect(cell({ a: 'x', b: '' }, 'a')).toBe('x');
    expect(cell({ a: 'x', b: '' }, 'b')).toBeUndefined();
    expect(cell({ a: 'x' }, 'c')).toBeUndefined();
  });

  it.each([
    ['cell', 'source', () => cell({ source: 'x\udc00' }, 'source')],
    ['textCell', 'source', () => textCell({ source: '\ud83dx' }, 'source', 200)],
    ['countCell', 'impressions', () => countCell({ impressions: '1\udc00' }, 'impressions')],
  ])('%s refuses a lone surrogate with invalid_unicode on the column (%s)', (_name, field, read) => {
    expect(read).toThrow(expect.objectContaining({ code: 'invalid_unicode', field }));
  });

  it('accepts every plane of well-formed text', () => {
    expect(cell({ note: 'Promoção 👋 春' }, 'note')).toBe('Promoção 👋 春');
  });
});
