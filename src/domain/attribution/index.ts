/**
 * Attribution models (DESIGN.md "Conversions and attribution"; spec/metrics.md §2): `attribute`
 * one conversion, then `aggregate` the results per channel, campaign or link.
 */
export type { AggregateOptions, AttributionRow, AttributionSummary, MoneyByCurrency } from './aggregate.js';
export { aggregate, createAggregator } from './aggregate.js';
export { allocateMinorUnits } from './allocate.js';
export { attribute } from './attribute.js';
export type { BillboardSelection } from './billboard.js';
export { billboardSelection } from './billboard.js';
export { creditsFromWeights } from './credits.js';
export { eligibleTouches, isWithin } from './eligible.js';
export { firstTouchCredits } from './first-touch.js';
export { lastTouchCredits } from './last-touch.js';
export { linearCredits } from './linear.js';
export { compareTouches, sortTouches } from './order.js';
export { positionBasedCredits } from './position-based.js';
export { timeDecayCredits } from './time-decay.js';
export type {
  AttributeOptions,
  Attribution,
  AttributionModel,
  Conversion,
  Credit,
  Money,
  Touch,
  TouchType,
  Windows,
} from './types.js';
export { ATTRIBUTION_MODELS, TOUCH_PRECEDENCE, TOUCH_TYPES } from './types.js';
export {
  BILLBOARD_DEFAULT_WINDOWS,
  DAY_MS,
  DEFAULT_HALF_LIFE_MS,
  DEFAULT_WINDOWS,
  defaultWindows,
  formatWindow,
  HOUR_MS,
  MINUTE_MS,
  parseWindow,
  resolveWindows,
} from './windows.js';
