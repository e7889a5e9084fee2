import { ChatmarkError } from '../errors.js';
import { billboardSelection } from './billboard.js';
import { eligibleTouches } from './eligible.js';
import { firstTouchCredits } from './first-touch.js';
import { lastTouchCredits } from './last-touch.js';
import { linearCredits } from './linear.js';
import { positionBasedCredits } from './position-based.js';
import { timeDecayCredits } from './time-decay.js';
import {
  ATTRIBUTION_MODELS,
  type AttributeOptions,
  type Attribution,
  type AttributionModel,
  type Conversion,
  type Credit,
  TOUCH_TYPES,
  type Touch,
} from './types.js';
import { DEFAULT_HALF_LIFE_MS, resolveWindows } from './windows.js';

const CURRENCY = /^[A-Z]{3}$/;

/**
 * Attributes one conversion of a contact to that contact's touches under one model and its windows
 * (spec/metrics.md §2). Credits sum to 1 within 1e-12 (the last share absorbs rounding) or there
 * are none and `unattributed` is true. The immediate touch is tₙ and the assists t₁ … tₙ₋₁, beside
 * the credit, never added to it. The result does not depend on the order of `touches`.
 *
 * Throws ChatmarkError: `invalid_model` (model), `invalid_window` (window), `invalid_half_life`
 * (halfLifeMs), `invalid_conversion` (conversion.at), `invalid_money` (conversion.value.amount |
 * conversion.value.currency), `invalid_touch` (touches[i].type | touches[i].at), `duplicate_touch`
 * (touches[i].id: the same type and id twice).
 *
 * @example
 * const result = attribute({ id: 'c1', at: T }, touches, { model: 'time_decay' });
 * result.credits.map((c) => c.credit); // [0.333…, 0.666…] for touches 8 d and 1 d before T
 */
export function attribute(
  conversion: Conversion,
  touches: readonly Touch[],
  options: AttributeOptions,
): Attribution {
  const { model } = options;
  if (!(ATTRIBUTION_MODELS as readonly unknown[]).includes(model)) {
    throw new ChatmarkError(
      'invalid_model',
      `Unknown attribution model ${JSON.stringify(model)}; use one of ${ATTRIBUTION_MODELS.join(', ')}`,
      'model',
    );
  }
  const windows = resolveWindows(model, options.windows);
  const halfLifeMs = model === 'time_decay' ? checkHalfLife(options.halfLifeMs) : null;
  checkConversion(conversion);
  checkTouches(touches);

  let eligible: Touch[];
  let credits: Credit[];
  if (model === 'billboard') {
    const selection = billboardSelection(conversion.at, touches, windows);
    eligible = selection.eligible;
    credits = selection.credited === null ? [] : [{ touch: selection.credited, credit: 1 }];
  } else {
    eligible = eligibleTouches(conversion.at, touches, windows);
    const shares = sharesOf(model, eligible, conversion.at, halfLifeMs ?? DEFAULT_HALF_LIFE_MS);
    credits = eligible
      .map((touch, i) => ({ touch, credit: shares[i] ?? 0 }))
      .filter((credit) => credit.credit > 0);
  }

  const n = eligible.length;
  return {
    conversion,
    model,
    windows,
    halfLifeMs,
    eligible,
    credits,
    immediate: eligible[n - 1] ?? null,
    assists: eligible.slice(0, Math.max(0, n - 1)),
    unattributed: n === 0,
  };
}

function sharesOf(
  model: Exclude<AttributionModel, 'billboard'>,
  eligible: readonly Touch[],
  conversionAt: number,
  halfLifeMs: number,
): number[] {
  switch (model) {
    case 'last_touch':
      return lastTouchCredits(eligible);
    case 'first_touch':
      return firstTouchCredits(eligible);
    case 'linear':
      return linearCredits(eligible);
    case 'time_decay':
      return timeDecayCredits(eligible, conversionAt, halfLifeMs);
    case 'position_based':
      return positionBasedCredits(eligible);
  }
}

function checkHalfLife(halfLifeMs: number | undefined): number {
  if (halfLifeMs === undefined) return DEFAULT_HALF_LIFE_MS;
  if (!Number.isFinite(halfLifeMs) || halfLifeMs <= 0) {
    throw new ChatmarkError(
      'invalid_half_life',
      `The time_decay half-life must be a positive number of milliseconds, got ${String(halfLifeMs)}`,
      'halfLifeMs',
    );
  }
  return halfLifeMs;
}

function checkConversion(conversion: Conversion): void {
  if (!Number.isFinite(conversion.at)) {
    throw new ChatmarkError(
      'invalid_conversion',
      `Conversion time must be epoch milliseconds, got ${String(conversion.at)}`,
      'conversion.at',
    );
  }
  const { value } = conversion;
  if (value === undefined) return;
  if (!Number.isSafeInteger(value.amount)) {
    throw new ChatmarkError(
      'invalid_money',
      `Conversion value must be a whole number of minor units, got ${String(value.amount)}`,
      'conversion.value.amount',
    );
  }
  if (typeof value.currency !== 'string' || !CURRENCY.test(value.currency)) {
    throw new ChatmarkError(
      'invalid_money',
      `Conversion currency must be an ISO 4217 code such as USD, got ${JSON.stringify(value.currency)}`,
      'conversion.value.currency',
    );
  }
}

function checkTouches(touches: readonly Touch[]): void {
  const seen = new Set<string>();
  touches.forEach((touch, i) => {
    if (!(TOUCH_TYPES as readonly unknown[]).includes(touch.type)) {
      throw new ChatmarkError(
        'invalid_touch',
        `Touch type must be one of ${TOUCH_TYPES.join(', ')}, got ${JSON.stringify(touch.type)}`,
        `touches[${i}].type`,
      );
    }
    if (!Number.isFinite(touch.at)) {
      throw new ChatmarkError(
        'invalid_touch',
        `Touch time must be epoch milliseconds, got ${String(touch.at)}`,
        `touches[${i}].at`,
      );
    }
    // A touch listed twice would count twice under linear and the others; ids are unique per type.
    const key = `${touch.type}\0${typeof touch.id}\0${touch.id}`;
    if (seen.has(key)) {
      throw new ChatmarkError(
        'duplicate_touch',
        `Touch ${touch.type} ${JSON.stringify(touch.id)} is listed twice`,
        `touches[${i}].id`,
      );
    }
    seen.add(key);
  });
}
