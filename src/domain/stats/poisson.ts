import { normalCdf } from './distributions.js';
import { relativeChange } from './relative-change.js';
import { checkCount } from './validate.js';

export interface PoissonTestResult {
  /** (v − b)/√(v + b); null when both counts are 0. */
  z: number | null;
  /** Two-sided, 2Φ(−|z|); null with z. */
  pValue: number | null;
  /** (v − b)/b; null when the baseline count is 0. */
  relativeChange: number | null;
}

/**
 * Compares two counts with equal exposure, e.g. chats per day over two equal periods
 * (spec/metrics.md §3 "Counts with equal exposure"): z = (v − b)/√(v + b), normal approximation.
 *
 * @example poissonTest(100, 130) // { z: 1.9781…, pValue: 0.0479…, relativeChange: 0.3 }
 */
export function poissonTest(baseline: number, variant: number): PoissonTestResult {
  checkCount(baseline, 'baseline');
  checkCount(variant, 'variant');
  const change = relativeChange(baseline, variant);
  if (baseline + variant === 0) return { z: null, pValue: null, relativeChange: change };
  const z = (variant - baseline) / Math.sqrt(variant + baseline);
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), relativeChange: change };
}
