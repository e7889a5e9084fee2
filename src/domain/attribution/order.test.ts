import { describe, expect, it } from 'vitest';
import { compareTouches, sortTouches } from './order.js';
import type { Touch, TouchType } from './types.js';

const touch = (id: string | number, type: TouchType, at: number): Touch => ({
  id,
  type,
  at,
  campaignId: null,
  channel: null,
});

describe('attribution order (spec/metrics.md §2)', () => {
  it('orders by time first', () => {
    const ordered = sortTouches([
      touch(1, 'exposure', 300),
      touch(2, 'click', 100),
      touch(3, 'chat_started', 200),
    ]);
    expect(ordered.map((t) => t.id)).toEqual([2, 3, 1]);
  });

  it('at the same instant click > chat_started > exposure: the click comes last', () => {
    const ordered = sortTouches([
      touch(1, 'click', 100),
      touch(2, 'exposure', 100),
      touch(3, 'chat_started', 100),
    ]);
    expect(ordered.map((t) => t.type)).toEqual(['exposure', 'chat_started', 'click']);
  });

  it('then by id: numbers numerically, strings by code unit, numbers before strings', () => {
    const ordered = sortTouches([
      touch('b', 'click', 1),
      touch(10, 'click', 1),
      touch('B', 'click', 1),
      touch(9, 'click', 1),
      touch('a', 'click', 1),
    ]);
    expect(ordered.map((t) => t.id)).toEqual([9, 10, 'B', 'a', 'b']);
  });

  it('compareTouches is 0 only for the same instant, type and id', () => {
    expect(compareTouches(touch(1, 'click', 5), touch(1, 'click', 5))).toBe(0);
    expect(compareTouches(touch(1, 'click', 5), touch(1, 'exposure', 5))).toBeGreaterThan(0);
  });

  it('leaves the input untouched', () => {
    const input = [touch(2, 'click', 2), touch(1, 'click', 1)];
    sortTouches(input);
    expect(input.map((t) => t.id)).toEqual([2, 1]);
  });
});
