import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/metrics.json' with { type: 'json' };
import { sampleSizePerArm } from './sample-size.js';

describe('sampleSizePerArm (spec/metrics.md §3)', () => {
  it.each(golden.sampleSize)('$p1 → $p2 needs $n per arm ($spec)', (vector) => {
    const options = 'alpha' in vector ? { alpha: vector.alpha, power: vector.power } : {};
    expect(sampleSizePerArm(vector.p1, vector.p2, options)).toBe(vector.n);
  });

  it('defaults to alpha 0.05 and power 0.8, and is symmetric in p1, p2', () => {
    expect(sampleSizePerArm(0.1, 0.15)).toBe(sampleSizePerArm(0.1, 0.15, { alpha: 0.05, power: 0.8 }));
    expect(sampleSizePerArm(0.15, 0.1)).toBe(686);
  });

  it('is null when p1 = p2 (no sample detects a zero difference)', () => {
    expect(sampleSizePerArm(0.2, 0.2)).toBeNull();
    expect(sampleSizePerArm(0, 0)).toBeNull();
  });

  it('handles the ends of [0, 1]: 0 → 1 needs 2 per arm (1.92 rounded up)', () => {
    expect(sampleSizePerArm(0, 1)).toBe(2);
  });

  it('property: a larger effect never needs more units; more power never needs fewer', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 0.005, max: 0.2, noNaN: true }),
        (p1, delta) => {
          const small = sampleSizePerArm(p1, p1 + delta)!;
          const large = sampleSizePerArm(p1, p1 + 2 * delta)!;
          expect(Number.isInteger(small) && small >= 1).toBe(true);
          expect(large).toBeLessThanOrEqual(small);
          expect(sampleSizePerArm(p1, p1 + delta, { power: 0.9 })!).toBeGreaterThanOrEqual(small);
        },
      ),
    );
  });

  it.each([
    { p1: -0.1, p2: 0.2, options: {}, field: 'p1' },
    { p1: 0.1, p2: 1.2, options: {}, field: 'p2' },
    { p1: 0.1, p2: 0.2, options: { alpha: 0 }, field: 'alpha' },
    { p1: 0.1, p2: 0.2, options: { alpha: 1 }, field: 'alpha' },
    { p1: 0.1, p2: 0.2, options: { power: 1 }, field: 'power' },
    { p1: 0.1, p2: 0.2, options: { power: 0.3 }, field: 'power' },
  ])('refuses p1 $p1, p2 $p2, $options with invalid_probability on $field', ({ p1, p2, options, field }) => {
    expect(() => sampleSizePerArm(p1, p2, options)).toThrowError(
      expect.objectContaining({ code: 'invalid_probability', field }),
    );
  });
});
