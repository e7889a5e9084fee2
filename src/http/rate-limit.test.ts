import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from './rate-limit.js';

const WINDOW = 60_000;

describe('the sliding-window limiter', () => {
  it.each([
    [1, 0],
    [1, 59_999],
    [5, 30_000],
    [10, 59_900],
    [10, 1],
    [120, 45_500],
  ])('with limit %i from %i ms into a window: Retry-After is when one more fits again', async (limit, at) => {
    const limiter = memoryRateLimiter(WINDOW);
    const start = 7 * WINDOW + at;
    let now = start;
    // Fill up, then keep knocking: each refusal names the time the next request fits.
    for (let round = 0; round < 5; round += 1) {
      let decision = await limiter.hit('k', limit, now);
      while (decision.allowed) decision = await limiter.hit('k', limit, now);
      expect(decision.resetMs).toBeGreaterThan(0);
      if (decision.resetMs > 1)
        expect((await limiter.peek('k', limit, now + decision.resetMs - 2)).allowed).toBe(false);
      now += decision.resetMs;
      expect((await limiter.peek('k', limit, now)).allowed).toBe(true);
    }
  });

  it('takes no second burst right after a window edge, and the limit per window over time', async () => {
    const limiter = memoryRateLimiter(WINDOW);
    const taken = new Map<number, number>();
    // A request every 10 ms for ten windows, starting in the last second of a window.
    for (let now = WINDOW - 1000; now < 11 * WINDOW - 1000; now += 10) {
      if ((await limiter.hit('k', 100, now)).allowed) {
        const second = Math.floor(now / 1000);
        taken.set(second, (taken.get(second) ?? 0) + 1);
      }
    }
    const within = (from: number, to: number) =>
      [...taken].filter(([second]) => second >= from && second < to).reduce((sum, [, n]) => sum + n, 0);
    // The two seconds around the first edge: the burst before it, and (almost) nothing after it.
    // A fixed window took 200 here.
    expect(within(59, 61)).toBeLessThanOrEqual(102);
    // Knocking without pause gets the limit per window on average, not twice it.
    expect(within(0, 11 * 60)).toBeLessThanOrEqual(11 * 100);
  });
});
