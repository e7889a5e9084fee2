/** spec/metrics.md §3: post-launch reviews at day 3, 7 and 14. */
export const REVIEW_DAYS = [3, 7, 14] as const;
export type ReviewDay = (typeof REVIEW_DAYS)[number];
