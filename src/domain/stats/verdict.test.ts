import { describe, expect, it } from 'vitest';
import { type VerdictInput, verdict } from './verdict.js';

/** A clean, well-powered experiment whose variant clearly wins: every rule case below edits it. */
const base: VerdictInput = {
  decision: { relativeChange: 0.12, ci: [0.03, 0.21] },
  conversions: { baseline: 400, variant: 450 },
  srmPValue: 0.4,
};
const edit = (changes: Partial<VerdictInput>): VerdictInput => ({ ...base, ...changes });

describe('verdict: spec/metrics.md §3 "Verdict", first rule that fires decides', () => {
  it.each([
    // Rule 1: sample-ratio mismatch.
    {
      name: 'SRM p < 0.001 → hold',
      input: edit({ srmPValue: 0.000020079 }),
      verdict: 'hold',
      rule: 'srm',
      says: ['2.01e-5', '< 0.001', 'split is broken'],
    },
    {
      name: 'SRM p exactly 0.001 is not a mismatch',
      input: edit({ srmPValue: 0.001 }),
      verdict: 'ship',
      rule: 'ship',
      says: [],
    },
    {
      name: 'no SRM check run → rule skipped',
      input: edit({ srmPValue: null }),
      verdict: 'ship',
      rule: 'ship',
      says: [],
    },
    // Rule 2: minimum sample.
    {
      name: '149 conversions in the larger arm → hold',
      input: edit({ conversions: { baseline: 120, variant: 149 } }),
      verdict: 'hold',
      rule: 'sample',
      says: ['149 conversions in the larger arm', 'minimum is 150'],
    },
    {
      name: 'exactly 150 is enough',
      input: edit({ conversions: { baseline: 120, variant: 150 } }),
      verdict: 'ship',
      rule: 'ship',
      says: [],
    },
    {
      name: 'campaign minimum 500 → hold',
      input: edit({ minConversions: 500 }),
      verdict: 'hold',
      rule: 'sample',
      says: ['450 conversions', 'minimum is 500'],
    },
    {
      name: 'fractional credits are shown to 2 decimals',
      input: edit({ conversions: { baseline: 100.5, variant: 120.25 } }),
      verdict: 'hold',
      rule: 'sample',
      says: ['120.25 conversions', 'baseline 100.50'],
    },
    {
      name: 'smaller arm below the planned size → hold',
      input: edit({ plannedSampleSize: 1000, units: { baseline: 1200, variant: 900 } }),
      verdict: 'hold',
      rule: 'sample',
      says: ['900 units in the smaller arm', 'plan needs 1000 per arm'],
    },
    {
      name: 'planned size reached in both arms',
      input: edit({ plannedSampleSize: 1000, units: { baseline: 1200, variant: 1000 } }),
      verdict: 'ship',
      rule: 'ship',
      says: [],
    },
    // Rule 3: rollback.
    {
      name: 'CI upper bound below −threshold → rollback',
      input: edit({ decision: { relativeChange: -0.14, ci: [-0.2, -0.08] }, rollbackThreshold: 0.05 }),
      verdict: 'rollback',
      rule: 'rollback',
      says: ['-14.00%', 'upper bound -8.00%', 'rollback threshold -5.00%'],
    },
    {
      name: 'significantly worse but within the threshold → hold',
      input: edit({ decision: { relativeChange: -0.11, ci: [-0.2, -0.03] }, rollbackThreshold: 0.05 }),
      verdict: 'hold',
      rule: 'inconclusive',
      says: ['[-20.00%, -3.00%]'],
    },
    {
      name: 'default threshold 0: any significant harm rolls back',
      input: edit({ decision: { relativeChange: -0.1, ci: [-0.2, -0.01] } }),
      verdict: 'rollback',
      rule: 'rollback',
      says: ['upper bound -1.00%'],
    },
    {
      name: 'a guardrail significantly worse → rollback even with a winning decision metric',
      input: edit({
        guardrails: [{ name: 'refund_rate', relativeChange: 0.3, ci: [0.05, 0.55], betterWhen: 'lower' }],
      }),
      verdict: 'rollback',
      rule: 'rollback',
      says: ['refund_rate +30.00%', '[+5.00%, +55.00%]', 'lower is better'],
    },
    {
      name: 'a higher-is-better guardrail that fell significantly → rollback',
      input: edit({
        guardrails: [
          { name: 'reply_rate', relativeChange: -0.1, ci: [-0.18, -0.02] },
          { name: 'csat', relativeChange: 0.01, ci: [-0.02, 0.04] },
        ],
      }),
      verdict: 'rollback',
      rule: 'rollback',
      says: ['guardrail is significantly worse', 'reply_rate -10.00%'],
    },
    {
      name: 'guardrails not significantly worse → ship',
      input: edit({
        guardrails: [
          { name: 'refund_rate', relativeChange: 0.1, ci: [-0.05, 0.25], betterWhen: 'lower' },
          { name: 'optout', relativeChange: null, ci: null },
        ],
      }),
      verdict: 'ship',
      rule: 'ship',
      says: [],
    },
    // Rule 4: ship.
    {
      name: 'CI lower bound > 0 → ship',
      input: base,
      verdict: 'ship',
      rule: 'ship',
      says: ['+12.00%', '[+3.00%, +21.00%]', 'lower bound +3.00% is above the minimum effect 0.00%'],
    },
    {
      name: 'lower bound below the campaign minimum effect → hold',
      input: edit({ minimumEffect: 0.05 }),
      verdict: 'hold',
      rule: 'inconclusive',
      says: ['minimum effect (+5.00%)', 'rollback threshold (0.00%)'],
    },
    {
      name: 'lower bound above the campaign minimum effect → ship',
      input: edit({ minimumEffect: 0.02 }),
      verdict: 'ship',
      rule: 'ship',
      says: ['minimum effect +2.00%'],
    },
    {
      name: 'lower-is-better decision metric (CPA) that fell → ship',
      input: edit({ decision: { relativeChange: -0.12, ci: [-0.2, -0.05], betterWhen: 'lower' } }),
      verdict: 'ship',
      rule: 'ship',
      says: ['upper bound -5.00%', 'lower is better'],
    },
    {
      name: 'lower-is-better decision metric that rose past the threshold → rollback',
      input: edit({
        decision: { relativeChange: 0.12, ci: [0.06, 0.2], betterWhen: 'lower' },
        rollbackThreshold: 0.05,
      }),
      verdict: 'rollback',
      rule: 'rollback',
      says: ['lower bound +6.00%', 'rollback threshold +5.00%'],
    },
    // Rule 5: otherwise hold.
    {
      name: 'CI straddles 0 → hold',
      input: edit({ decision: { relativeChange: 0.04, ci: [-0.02, 0.1] } }),
      verdict: 'hold',
      rule: 'inconclusive',
      says: ['+4.00%', '[-2.00%, +10.00%]', 'inconclusive'],
    },
    {
      name: 'no CI (zero baseline) → hold',
      input: edit({ decision: { relativeChange: null, ci: null } }),
      verdict: 'hold',
      rule: 'inconclusive',
      says: ['no confidence interval', 'n/a'],
    },
  ] as const)('$name', ({ input, verdict: expected, rule, says }) => {
    const result = verdict(input);
    expect(result.verdict).toBe(expected);
    expect(result.rule).toBe(rule);
    for (const fragment of says) expect(result.reason).toContain(fragment);
  });

  it.each([
    {
      name: 'an SRM with a huge lift is still hold',
      input: edit({ srmPValue: 1e-12, decision: { relativeChange: 2, ci: [1.5, 2.5] } }),
      rule: 'srm',
    },
    {
      name: 'SRM before minimum sample before rollback',
      input: edit({
        srmPValue: 1e-5,
        conversions: { baseline: 10, variant: 12 },
        decision: { relativeChange: -0.5, ci: [-0.7, -0.3] },
      }),
      rule: 'srm',
    },
    {
      name: 'minimum sample before rollback',
      input: edit({
        conversions: { baseline: 10, variant: 12 },
        decision: { relativeChange: -0.5, ci: [-0.7, -0.3] },
      }),
      rule: 'sample',
    },
    {
      name: 'minimum sample before ship',
      input: edit({
        conversions: { baseline: 10, variant: 12 },
        decision: { relativeChange: 2, ci: [1.5, 2.5] },
      }),
      rule: 'sample',
    },
    {
      name: 'a worse guardrail before ship',
      input: edit({
        guardrails: [{ name: 'unsubscribe_rate', relativeChange: 0.5, ci: [0.1, 0.9], betterWhen: 'lower' }],
      }),
      rule: 'rollback',
    },
  ] as const)('order: $name', ({ input, rule }) => {
    expect(verdict(input).rule).toBe(rule);
  });

  it.each([
    {
      input: edit({ decision: { relativeChange: 0.1, ci: [0.2, 0.1] } }),
      code: 'invalid_number',
      field: 'decision.ci',
    },
    {
      input: edit({ decision: { relativeChange: Number.NaN, ci: null } }),
      code: 'invalid_number',
      field: 'decision.relativeChange',
    },
    {
      input: edit({ guardrails: [{ name: 'g', relativeChange: 0, ci: [Number.NEGATIVE_INFINITY, 0] }] }),
      code: 'invalid_number',
      field: 'guardrails[0].ci',
    },
    {
      input: edit({ conversions: { baseline: -1, variant: 5 } }),
      code: 'invalid_count',
      field: 'conversions.baseline',
    },
    { input: edit({ srmPValue: 1.5 }), code: 'invalid_probability', field: 'srmPValue' },
    { input: edit({ minConversions: 1.5 }), code: 'invalid_count', field: 'minConversions' },
    { input: edit({ plannedSampleSize: 500 }), code: 'missing_field', field: 'units' },
    {
      input: edit({ plannedSampleSize: 500, units: { baseline: 10, variant: -1 } }),
      code: 'invalid_count',
      field: 'units.variant',
    },
    { input: edit({ rollbackThreshold: -0.05 }), code: 'invalid_number', field: 'rollbackThreshold' },
    { input: edit({ minimumEffect: Number.NaN }), code: 'invalid_number', field: 'minimumEffect' },
  ])('refuses bad input with $code on $field', ({ input, code, field }) => {
    expect(() => verdict(input)).toThrowError(expect.objectContaining({ code, field }));
  });
});
