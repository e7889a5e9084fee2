import type { DemoCounts } from './play.js';

/**
 * The line `chatmark demo` prints for a person.
 *
 * @example formatDemoSummary(counts, 'cm_…', 'http://localhost:8080')
 */
export function formatDemoSummary(counts: DemoCounts, key: string, url: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    `demo: ${n(counts.campaigns)} campaigns, ${n(counts.links)} links, ${n(counts.clicks)} clicks ` +
    `(${n(counts.bots)} bots), ${n(counts.chats)} chats, ${n(counts.qualified)} qualified, ` +
    `${n(counts.purchases)} purchases (${n(counts.refunds)} refund${counts.refunds === 1 ? '' : 's'}), ` +
    `${n(counts.costDays)} cost days, ${n(counts.exposures)} SMS sends, ${n(counts.experiments)} A/B experiments, ` +
    `${n(counts.baselines)} baseline snapshot${counts.baselines === 1 ? '' : 's'}; admin key ${key} (shown once) — open ${url}`
  );
}
