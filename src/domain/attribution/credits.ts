/**
 * Turns non-negative weights into credits that sum to 1: cᵢ = wᵢ / Σw for i < n and the last credit
 * takes 1 − Σ of the others, so floating-point rounding lands on tₙ and the total is 1 within one
 * ulp (spec/metrics.md §2: "Credits cᵢ always sum to 1"). Empty weights give no credits.
 *
 * @example creditsFromWeights([1, 1, 2]) // [0.25, 0.25, 0.5]
 */
export function creditsFromWeights(weights: readonly number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new RangeError(`Credit weights must be finite, non-negative and not all zero, got [${weights}]`);
  }
  const credits = new Array<number>(n);
  let given = 0;
  for (let i = 0; i < n - 1; i += 1) {
    const credit = weights[i]! / total;
    credits[i] = credit;
    given += credit;
  }
  // Never below zero: a rounding excess on the others must not show as a negative share.
  credits[n - 1] = Math.max(0, 1 - given);
  return credits;
}
