import { describe, expect, it } from 'vitest';
import { planDemo, seededRandom } from './plan.js';

const NOW = Date.UTC(2026, 10, 23, 21, 0);

describe('planDemo', () => {
  it('is deterministic: the same seed and end time give the same plan, another seed another', () => {
    const a = planDemo({ campaigns: 4, random: seededRandom(7), now: NOW });
    const b = planDemo({ campaigns: 4, random: seededRandom(7), now: NOW });
    const c = planDemo({ campaigns: 4, random: seededRandom(8), now: NOW });
    expect(b).toEqual(a);
    expect(c.actions).not.toEqual(a.actions);
  });

  it('covers the four channels, with a creator-style name and A/B links', () => {
    const plan = planDemo({ campaigns: 4, random: seededRandom(1), now: NOW });
    expect(plan.campaigns.map((c) => c.channel)).toEqual(['whatsapp', 'telegram', 'messenger', 'sms']);
    expect(plan.campaigns.map((c) => c.name)).toContain('creator_maria_reel');
    for (const campaign of plan.campaigns) expect(campaign.links.map((l) => l.variant)).toEqual(['a', 'b']);
  });

  it('keeps 30 days in time order, ending at now, with every follow-up after its click', () => {
    const plan = planDemo({ campaigns: 20, random: seededRandom(3), now: NOW });
    const clicks = new Map<number, number>();
    let last = plan.start;
    for (const action of plan.actions) {
      expect(action.at).toBeGreaterThanOrEqual(last);
      expect(action.at).toBeLessThanOrEqual(NOW);
      last = action.at;
      if (action.kind === 'click') clicks.set(action.click, action.at);
      else if ('click' in action) expect(clicks.get(action.click)).toBeLessThanOrEqual(action.at);
    }
    expect(plan.start).toBeGreaterThanOrEqual(NOW - 31 * 86_400_000);
    // A few thousand clicks even with 20 campaigns, so the demo stays quick.
    expect(clicks.size).toBeGreaterThan(2000);
    expect(clicks.size).toBeLessThan(7000);
    expect(plan.actions.filter((a) => a.kind === 'refund')).toHaveLength(1);
    expect(plan.actions.filter((a) => a.kind === 'cost')).toHaveLength(20 * 30);
  });

  it('launches the first campaign on day 10 with a baseline then, and notes its day-3 review', () => {
    const plan = planDemo({ campaigns: 2, random: seededRandom(1), now: NOW });
    const launchAt = plan.campaigns[0]?.launchAt;
    expect(launchAt).toBe(NOW - 20 * 86_400_000);
    expect(plan.campaigns[1]?.launchAt).toBeNull();
    const baselines = plan.actions.filter((a) => a.kind === 'baseline');
    expect(baselines).toEqual([{ kind: 'baseline', at: launchAt, campaign: 0 }]);
    // The baseline counts the warm-up: the first campaign had clicks before its launch.
    expect(plan.actions.some((a) => a.kind === 'click' && a.campaign === 0 && a.at < (launchAt ?? 0))).toBe(
      true,
    );
    const reviews = plan.actions.filter((a) => a.kind === 'review');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ campaign: 0, day: 3 });
    expect(reviews[0]?.at).toBeGreaterThanOrEqual((launchAt ?? 0) + 3 * 86_400_000);
  });

  it('launches nothing when the period is too short for the day-14 review', () => {
    const plan = planDemo({ campaigns: 2, random: seededRandom(1), now: NOW, days: 20 });
    expect(plan.campaigns.map((c) => c.launchAt)).toEqual([null, null]);
    expect(plan.actions.filter((a) => a.kind === 'baseline' || a.kind === 'review')).toEqual([]);
  });
});
