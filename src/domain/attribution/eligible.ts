import { sortTouches } from './order.js';
import type { Touch, Windows } from './types.js';

/**
 * The touches a window-based model considers (spec/metrics.md §2): at or before the conversion time
 * T and inside the window of their type (0 ≤ T − at ≤ window, both ends included), in attribution
 * order.
 *
 * @example eligibleTouches(T, touches, DEFAULT_WINDOWS) // t₁ … tₙ
 */
export function eligibleTouches(conversionAt: number, touches: readonly Touch[], windows: Windows): Touch[] {
  return sortTouches(touches.filter((touch) => isWithin(conversionAt, touch.at, windows[touch.type])));
}

/** True when a time `at` lies in the window that ends at the conversion: 0 ≤ T − at ≤ window. */
export function isWithin(conversionAt: number, at: number, windowMs: number): boolean {
  const delta = conversionAt - at;
  return delta >= 0 && delta <= windowMs;
}
