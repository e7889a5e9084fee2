/**
 * Splits an integer amount of minor units in proportion to `weights` so that the parts are integers
 * and sum exactly to `amount` (largest-remainder method): each part gets the floor of its quota,
 * then the units left over go one each to the largest fractional remainders, ties to the earlier
 * index. A negative amount (a refund) is split like its absolute value and the sign put back.
 *
 * @example allocateMinorUnits(100, [1, 1, 1]) // [34, 33, 33]
 */
export function allocateMinorUnits(amount: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Amount must be a safe integer, got ${amount}`);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (weights.length === 0 || !(total > 0) || !Number.isFinite(total) || weights.some((w) => !(w >= 0))) {
    throw new RangeError(`Weights must be finite, non-negative and not all zero, got [${weights}]`);
  }
  const units = Math.abs(amount);
  const quotas = weights.map((weight) => (units * weight) / total);
  const parts = quotas.map((quota) => Math.floor(quota));
  // Stable sort: equal remainders keep index order, so the split never depends on anything else.
  const byRemainder = quotas
    .map((quota, index) => ({ index, remainder: quota - parts[index]!, weight: weights[index]! }))
    .sort((a, b) => b.remainder - a.remainder);

  // Float quotas can miss by a unit or so either way on huge amounts; walk the remainder order until
  // the parts add up, never giving a unit to a zero weight nor taking a part below zero.
  let left = units - parts.reduce((sum, part) => sum + part, 0);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length) {
    const { index, weight } = byRemainder[i]!;
    if (weight === 0) continue;
    parts[index] = parts[index]! + 1;
    left -= 1;
  }
  for (let i = byRemainder.length - 1; left < 0; i = (i - 1 + byRemainder.length) % byRemainder.length) {
    const { index } = byRemainder[i]!;
    if (parts[index]! === 0) continue;
    parts[index] = parts[index]! - 1;
    left += 1;
  }
  return amount < 0 ? parts.map((part) => (part === 0 ? 0 : -part)) : parts;
}
