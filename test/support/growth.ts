/**
 * How the time of `run` grows when its input grows 8×: the ratio of the best of a few timings at
 * 8n to the best at n. Linear code gives ~8, quadratic ~64; tests assert a generous bound
 * (e.g. < 40) so a busy machine does not fail them, while a super-linear loop still does. This is
 * a check of growth, not of speed (speed is measured by `npm run bench`).
 */
export function growthRatio(make: (n: number) => string, run: (input: string) => unknown, n: number): number {
  const small = make(n);
  const large = make(8 * n);
  const best = (input: string) => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      try {
        run(input);
      } catch {
        // Refusing the input is an answer too: only the time matters here.
      }
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  };
  best(small); // warm-up: compile the code paths before timing them
  // A floor of 1 ms keeps timer noise on a tiny input from reading as growth.
  return best(large) / Math.max(best(small), 1);
}
