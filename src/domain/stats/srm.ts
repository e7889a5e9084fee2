import { ChatmarkError } from '../errors.js';
import { chiSquareSurvival } from './distributions.js';
import { checkCount } from './validate.js';

/** spec/metrics.md §3: warn (and hold, §3 Verdict rule 1) when the SRM p-value is below this. */
export const SRM_P_THRESHOLD = 0.001;

export interface SrmResult {
  /** Σ(Oᵢ − Eᵢ)²/Eᵢ; null when no unit was observed at all. */
  chi2: number | null;
  /** k − 1 for k arms. */
  df: number;
  /** Chi-square survival at chi2; null with chi2. */
  pValue: number | null;
  /** pValue < 0.001. False when there is nothing to test. */
  mismatch: boolean;
  /** Eᵢ = wᵢ/Σw · N, the counts the planned split predicts. */
  expected: number[];
}

/**
 * The sample-ratio-mismatch check (spec/metrics.md §3): Pearson's chi-square of the units seen in
 * each arm against the planned weights, k − 1 degrees of freedom.
 *
 * @example sampleRatioMismatch([1000, 1200], [50, 50]) // { chi2: 18.18…, df: 1, pValue: 0.000020079, mismatch: true, … }
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmResult {
  if (observed.length < 2) {
    throw new ChatmarkError('invalid_count', 'observed needs a count for at least two arms', 'observed');
  }
  if (weights.length !== observed.length) {
    throw new ChatmarkError(
      'invalid_weights',
      `weights has ${weights.length} entries for ${observed.length} arms`,
      'weights',
    );
  }
  observed.forEach((count, i) => {
    checkCount(count, `observed[${i}]`);
  });
  weights.forEach((weight, i) => {
    // A zero weight plans no units for an arm: any unit there is an infinite chi-square.
    if (!(Number.isFinite(weight) && weight > 0)) {
      throw new ChatmarkError(
        'invalid_weights',
        `weights[${i}] must be a finite number > 0, got ${weight}`,
        `weights[${i}]`,
      );
    }
  });
  const total = observed.reduce((sum, count) => sum + count, 0);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const expected = weights.map((weight) => (weight / weightSum) * total);
  const df = observed.length - 1;
  if (total === 0) return { chi2: null, df, pValue: null, mismatch: false, expected };
  let chi2 = 0;
  observed.forEach((count, i) => {
    const e = expected[i]!;
    chi2 += ((count - e) * (count - e)) / e;
  });
  const pValue = chiSquareSurvival(chi2, df);
  return { chi2, df, pValue, mismatch: pValue < SRM_P_THRESHOLD, expected };
}
