import { ChatmarkError } from '../errors.js';
import { normalQuantile } from './distributions.js';
import { checkProbability } from './validate.js';

export interface SampleSizeOptions {
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** 1 − β in [0.5, 1), default 0.8. */
  power?: number;
}

/**
 * Units needed per arm to detect p₁ → p₂ with a two-sided test on proportions (spec/metrics.md §3):
 * n = (z₁₋α/₂·√(2p̄(1−p̄)) + z_power·√(p₁(1−p₁) + p₂(1−p₂)))² / (p₁ − p₂)², rounded up.
 * Null when p₁ = p₂: no sample size detects a difference of zero.
 *
 * @example sampleSizePerArm(0.1, 0.15) // 686
 */
export function sampleSizePerArm(p1: number, p2: number, options: SampleSizeOptions = {}): number | null {
  checkProbability(p1, 'p1', true);
  checkProbability(p2, 'p2', true);
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  checkProbability(alpha, 'alpha');
  checkProbability(power, 'power');
  // Below ½, z_power < 0 and the formula can go negative: not a power anyone plans for.
  if (power < 0.5)
    throw new ChatmarkError('invalid_probability', `power must be in [0.5, 1), got ${power}`, 'power');
  if (p1 === p2) return null;
  const mean = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  const root = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  const n = (root * root) / ((p1 - p2) * (p1 - p2));
  // A result that is a whole number up to rounding dust (686.0000000000001) must not become 687.
  return Math.max(1, Math.ceil(n * (1 - 1e-12)));
}
