/** CPU time of this process in milliseconds: unlike wall time, not stretched by other processes. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * How the time of `run` grows when its input grows 8×: the ratio of the best of a few timings at
 * 8n to the best at n, in CPU time (the machine is shared, so wall time would measure the
 * neighbours). Linear code gives ~8, quadratic ~64; tests assert a generous bound (e.g. < 40) so
 * noise does not fail them, while a super-linear loop still does. This checks growth, not speed
 * (speed is measured by `npm run bench`).
 */
export function growthRatio(make: (n: number) => string, run: (input: string) => unknown, n: number): number {
  const small = make(n);
  const large = make(8 * n);
  const best = (input: string) => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i += 1) {
      const started = cpuMs();
      try {
        run(input);
      } catch {
        // Refusing the input is an answer too: only the time matters here.
      }
      fastest = Math.min(fastest, cpuMs() - started);
    }
    return fastest;
  };
  best(small); // warm-up: compile the code paths before timing them
  // A floor of 2 ms keeps timer noise on a fast small input from reading as growth.
  return best(large) / Math.max(best(small), 2);
}
