/**
 * Attribution vocabulary (DESIGN.md "Conversions and attribution"; spec/metrics.md §2).
 * Times are epoch milliseconds and windows are durations in milliseconds, so the models stay pure
 * functions of their inputs: no clock is read anywhere in this folder.
 */

/** Touch types, one window each (spec/metrics.md §2: "Windows are per touch type"). */
export const TOUCH_TYPES = ['click', 'chat_started', 'exposure'] as const;
export type TouchType = (typeof TOUCH_TYPES)[number];

/**
 * Rank of each type when touches tie in time; higher wins the tie (spec/metrics.md §2:
 * "click > chat_started > exposure"). Winning means being ordered later, that is closer to the
 * conversion, so a click beats a same-instant exposure for `last_touch` and for the immediate touch.
 */
export const TOUCH_PRECEDENCE: Readonly<Record<TouchType, number>> = Object.freeze({
  exposure: 0,
  chat_started: 1,
  click: 2,
});

/**
 * One touch of a contact: a click, a chat started, or an exposure (an SMS or broadcast sent to the
 * contact). `id` is unique per type (clicks and chat events may come from different tables).
 */
export interface Touch {
  id: string | number;
  type: TouchType;
  /** Epoch milliseconds. */
  at: number;
  campaignId: number | null;
  channel: string | null;
  linkId?: number | null;
  variant?: string | null;
}

/** Money in integer minor units of an ISO 4217 currency (DESIGN.md "The funnel and its formulas"). */
export interface Money {
  amount: number;
  currency: string;
}

export interface Conversion {
  id: string | number;
  /** Epoch milliseconds: T in spec/metrics.md §2. */
  at: number;
  value?: Money;
}

/** The models of spec/metrics.md §2, by their report names. */
export const ATTRIBUTION_MODELS = [
  'last_touch',
  'first_touch',
  'linear',
  'time_decay',
  'position_based',
  'billboard',
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** Look-back window per touch type, in milliseconds: a touch counts when 0 ≤ T − at ≤ window. */
export type Windows = Readonly<Record<TouchType, number>>;

export interface AttributeOptions {
  model: AttributionModel;
  /** Overrides of the model's default windows (see `defaultWindows`): milliseconds or `30d`-style strings. */
  windows?: Partial<Record<TouchType, number | string>>;
  /** time_decay half-life H in milliseconds; default 7 days (spec/metrics.md §2). */
  halfLifeMs?: number;
}

export interface Credit {
  touch: Touch;
  credit: number;
}

/**
 * What one conversion gives to whom, plus the parameters that produced it, so that a report built
 * from it can be reproduced (DESIGN.md: "The model and window are stored with every report").
 */
export interface Attribution {
  conversion: Conversion;
  model: AttributionModel;
  windows: Windows;
  /** The half-life used, for time_decay; null for the other models. */
  halfLifeMs: number | null;
  /** Eligible touches t₁ … tₙ in attribution order (time, then precedence, then id). */
  eligible: Touch[];
  /** Touches with a non-zero share, in the order of `eligible`; shares sum to 1, or none when n = 0. */
  credits: Credit[];
  /** tₙ, the last eligible touch; null when n = 0. */
  immediate: Touch | null;
  /** t₁ … tₙ₋₁: whole-count assists, never added to credit. */
  assists: Touch[];
  /** True when no touch is eligible (n = 0): the conversion is reported as its own row. */
  unattributed: boolean;
}
