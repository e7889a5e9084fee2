import type { DecisionMetric, Verdict, VerdictRule } from '../../src/http/contract/experiments.js';

/** Experiment words shared by the experiment pages and the campaign's reviews (spec/metrics.md §3). */

export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  ship: 'Ship',
  hold: 'Hold',
  rollback: 'Roll back',
};

/** Which of the §3 rules decided, in words. */
export const RULE_TEXT: Readonly<Record<VerdictRule | 'health_check', string>> = {
  srm: 'Rule 1: the traffic split does not match the plan (sample-ratio mismatch), so the numbers cannot be trusted.',
  sample: 'Rule 2: not enough data yet.',
  rollback: 'Rule 3: the variant crossed the rollback threshold.',
  ship: 'Rule 4: the whole interval lies above the minimum effect.',
  inconclusive: 'Rule 5: the interval is neither above the minimum effect nor below the rollback threshold.',
  health_check: 'Day 3 is a health check only: it never ships.',
};

export const METRIC_TEXT: Readonly<Record<DecisionMetric, string>> = {
  conversion_rate: 'Conversion rate (conversions per chat)',
  qualification_rate: 'Qualification rate (qualified per chat)',
  click_to_message_rate: 'Click-to-chat rate (chats per human click)',
  chat_start_rate: 'Chat start rate (chats per landing visit)',
};

/**
 * The server's reason without the verdict it may start with (the page names the verdict beside it).
 *
 * @example reasonText('Hold: the decision metric moved …') // 'The decision metric moved …'
 */
export function reasonText(reason: string): string {
  const text = reason.replace(/^(Hold|Ship|Roll back): /, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
