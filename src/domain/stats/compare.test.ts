import { describe, expect, it } from 'vitest';
import { ChatmarkError } from '../errors.js';
import { compareProportions } from './index.js';
import {
  compare,
  compareArms,
  compareValues,
  describeComparison,
  describeDetails,
  METRIC_PARTS,
  signedPercent,
} from './compare.js';

describe('compare (spec/metrics.md §3)', () => {
  it('reports the §3 functions’ numbers unchanged, with the z-test oriented variant − baseline', () => {
    const result = compareArms({ baseline: { n: 83, x: 5 }, variant: { n: 99, x: 12 } });
    const stats = compareProportions({ baseline: { n: 83, x: 5 }, variant: { n: 99, x: 12 } });
    expect(result).toMatchObject({
      relativeChange: stats.relativeChange,
      ci: stats.ci,
      pValue: stats.pValue,
      se: stats.se,
      df: stats.df,
    });
    // statsmodels' vector is 5/83 − 12/99: z = −1.4078304151; the variant is higher, so + here.
    expect(result.zTest.z).toBeCloseTo(1.4078304151, 10);
    expect(result.zTest.pValue).toBeCloseTo(0.1591812918, 10);
    expect(result).not.toHaveProperty('srm');
  });

  it('checks the split on the units it is given (link clicks), not on the metric’s denominators', () => {
    const result = compareArms({
      baseline: { n: 400, x: 40 },
      variant: { n: 400, x: 44 },
      weights: [50, 50],
      srmUnits: [1000, 1200],
    });
    expect(result.srm?.pValue).toBeCloseTo(0.000020079, 9); // §3 vector [1000, 1200] at 50/50
    expect(result).toMatchObject({ verdict: 'hold', rule: 'srm' });
  });

  it('holds with a reason, instead of refusing, when store counts are no proportion (not strict)', () => {
    expect(() => compareArms({ baseline: { n: 10, x: 12 }, variant: { n: 10, x: 5 } })).toThrow(
      ChatmarkError,
    );
    const result = compareArms({
      baseline: { n: 10, x: 12 },
      variant: { n: 10, x: 5 },
      minConversions: 0,
      strict: false,
    });
    expect(result).toMatchObject({
      ci: null,
      pValue: null,
      verdict: 'hold',
      rule: 'inconclusive',
      minimumSample: null,
    });
    expect(result.relativeChange).toBeCloseTo(-7 / 12, 12);
    expect(result.reason).toMatch(/more successes than units \(baseline 12 of 10/);
  });

  it('gives plain values a relative change and no verdict; counts also a Poisson test', () => {
    expect(compareValues({ baseline: 19_000, variant: 19_760 })).toMatchObject({
      relativeChange: expect.closeTo(0.04, 12),
      verdict: null,
      rule: null,
      z: null,
    });
    const counts = compareValues({ baseline: 100, variant: 130, counts: true });
    expect(counts.z).toBeCloseTo(30 / Math.sqrt(230), 12);
    expect(compareValues({ baseline: 0, variant: 0, counts: true })).toMatchObject({ z: null, pValue: null });
  });

  it.each([
    ['an arm and a value', { baseline: { n: 1, x: 0 }, variant: 3 }, 'invalid_request', 'variant'],
    ['a value and an arm', { baseline: 3, variant: { n: 1, x: 0 } }, 'invalid_request', 'baseline'],
    [
      'weights on values',
      { baseline: 1, variant: 2, weights: [1, 1] as const },
      'invalid_request',
      'weights',
    ],
    [
      'a minimum effect on values',
      { baseline: 1, variant: 2, minimumEffect: 0.1 },
      'invalid_request',
      'minimumEffect',
    ],
    [
      'counts on arms',
      { baseline: { n: 1, x: 0 }, variant: { n: 1, x: 1 }, counts: true },
      'invalid_request',
      'counts',
    ],
    ['x above n', { baseline: { n: 1, x: 2 }, variant: { n: 1, x: 1 } }, 'invalid_count', 'baseline.x'],
  ])('refuses %s with %s on %s', (_what, request, code, field) => {
    expect(() => compare(request)).toThrow(expect.objectContaining({ code, field }));
  });

  it('describes a result on one line, the verdict after the arrow', () => {
    const ship = compareArms({ baseline: { n: 10_000, x: 1000 }, variant: { n: 10_000, x: 1200 } });
    expect(describeComparison(ship)).toBe(
      'variant +20.00% (95% CI +10.49% … +29.51%), p = 3.74e-5 → ship: the decision metric moved +20.00% (CI [+10.49%, +29.51%]); the CI lower bound +10.49% is above the minimum effect 0.00%.',
    );
    expect(describeDetails(ship).at(-1)).toBe(
      'minimum sample: 3841 per arm to detect this lift (α 0.05, power 0.8)',
    );
    const values = compareValues({ baseline: 19_000, variant: 19_760 });
    expect(describeComparison(values)).toMatch(/^variant \+4\.00%: Relative change/);
    expect(describeDetails(values)).toEqual([]);
  });

  it('writes signed percentages with a true minus sign', () => {
    expect([0.04, -0.012, 0, -0.00001, null].map(signedPercent)).toEqual([
      '+4.00%',
      '\u22121.20%',
      '0.00%',
      '0.00%',
      'n/a',
    ]);
  });

  it('reads each decision metric as x out of n of the DESIGN.md formula', () => {
    expect(METRIC_PARTS).toEqual({
      conversion_rate: { x: 'conversions', n: 'chats_started' },
      qualification_rate: { x: 'qualified', n: 'chats_started' },
      click_to_message_rate: { x: 'chats_started', n: 'link_clicks' },
      chat_start_rate: { x: 'chats_started', n: 'landing_visits' },
    });
  });
});
