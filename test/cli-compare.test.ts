import { describe, expect, it } from 'vitest';
import golden from './golden/experiments.json' with { type: 'json' };
import { jsonOf, runCli } from './support/run-cli.js';

// `chatmark compare` through the real bin (dist/: `npx tsc -p tsconfig.build.json` first), with the
// same vectors as POST /api/experiments/compare (test/golden/experiments.json, spec/metrics.md §3).

type Request = Record<string, unknown>;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The API body as flags, each as `--flag=value` so a negative number is not read as an option. */
function argsOf(request: Request): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(request)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [part, n] of Object.entries(value)) args.push(`--${key}-${part}=${String(n)}`);
    } else if (Array.isArray(value)) {
      args.push(`--${kebab(key)}=${value.join(',')}`);
    } else if (value === true) {
      args.push(`--${kebab(key)}`);
    } else {
      args.push(`--${kebab(key)}=${String(value)}`);
    }
  }
  return args;
}

function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v === null || v === undefined ? v : (v as Record<string, unknown>)[key]),
      value,
    );
}

interface ErrorJson {
  error: { code: string; message: string; field?: string };
}

describe.concurrent('chatmark compare', () => {
  it.each(golden.compare)('$name --json ($spec)', async ({ request, expect: expected, decimals }) => {
    const run = await runCli(['compare', ...argsOf(request), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const answer = jsonOf(run);
    for (const [path, want] of Object.entries(expected)) {
      const got = at(answer, path);
      if (typeof want === 'number') {
        expect(Math.abs((got as number) - want), `${path}: ${String(got)} vs ${want}`).toBeLessThanOrEqual(
          0.5 * 10 ** -decimals,
        );
      } else {
        expect(got, path).toEqual(want);
      }
    }
  });

  it('prints exactly the API’s fields with --json', async () => {
    const run = await runCli(['compare', ...argsOf(golden.compare[0]!.request), '--json']);
    expect(Object.keys(jsonOf(run)).sort()).toEqual(
      [
        'baselineRate',
        'ci',
        'df',
        'minimumSample',
        'mode',
        'pValue',
        'reason',
        'relativeChange',
        'rule',
        'se',
        'variantRate',
        'verdict',
        'zTest',
      ].sort(),
    );
    const values = jsonOf(await runCli(['compare', '--baseline', '19000', '--variant', '19760', '--json']));
    expect(Object.keys(values).sort()).toEqual(
      ['ci', 'mode', 'pValue', 'reason', 'relativeChange', 'rule', 'verdict', 'z'].sort(),
    );
  });

  it('prints a readable summary: change, CI, p-value, verdict and reason, then the details', async () => {
    const run = await runCli([
      'compare',
      '--baseline-n',
      '10000',
      '--baseline-x',
      '1000',
      '--variant-n',
      '10000',
      '--variant-x',
      '1200',
      '--weights',
      '50,50',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'variant +20.00% (95% CI +10.49% … +29.51%), p = 3.74e-5 → ship: the decision metric moved +20.00% (CI [+10.49%, +29.51%]); the CI lower bound +10.49% is above the minimum effect 0.00%.',
    );
    expect(lines.slice(1)).toEqual([
      'rates: baseline 10.00%, variant 12.00%',
      'pooled z-test: z = 4.5198, p = 6.19e-6',
      'sample ratio: chi2 = 0.0000, p = 1.0000',
      'minimum sample: 3841 per arm to detect this lift (α 0.05, power 0.8)',
    ]);
  });

  it('says +4.00% for 19,000 → 19,760 (spec/metrics.md §3) and gives the Poisson test with --counts', async () => {
    const plain = await runCli(['compare', '--baseline', '19000', '--variant', '19760']);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n')[0]).toMatch(
      /^variant \+4\.00%: Relative change 19000 → 19760: \+4\.00%\./,
    );
    const counts = await runCli(['compare', '--baseline', '100', '--variant', '130', '--counts']);
    expect(counts.stdout.split('\n')[0]).toBe(
      'variant +30.00%, p = 0.0479: Poisson test for counts with equal exposure: 100 → 130 (+30.00%), z = 1.9781, p = 0.0479. No confidence interval, so no verdict: compare proportions for one.',
    );
  });

  it.each(golden.errors.filter((e) => e.cliField !== null))(
    'refuses $name: exit 2, $code on the option $cliField',
    async ({ request, code, cliField }) => {
      const run = await runCli(['compare', ...argsOf(request), '--json']);
      expect(run.code).toBe(2);
      expect(jsonOf<ErrorJson>(run)).toEqual({
        error: { code, message: expect.any(String), field: cliField },
      });
      expect(run.stderr).toMatch(/^error: /);
    },
  );

  it.each([
    { what: 'no arms and no values', args: [], code: 'usage', field: 'baselineN' },
    {
      what: 'a missing variant count',
      args: ['--baseline-n=10', '--baseline-x=1', '--variant-n=10'],
      code: 'usage',
      field: 'variantX',
    },
    {
      what: 'arms mixed with values',
      args: ['--baseline-n=10', '--baseline-x=1', '--variant=3'],
      code: 'usage',
      field: 'variant',
    },
    { what: 'a value without the other', args: ['--baseline=10'], code: 'usage', field: 'variant' },
    {
      what: 'a word for a number',
      args: ['--baseline=ten', '--variant=12'],
      code: 'invalid_number',
      field: 'baseline',
    },
    {
      what: 'one weight',
      args: ['--baseline-n=10', '--baseline-x=1', '--variant-n=10', '--variant-x=2', '--weights=50'],
      code: 'invalid_weights',
      field: 'weights',
    },
    {
      what: 'counts with arms',
      args: ['--baseline-n=10', '--baseline-x=1', '--variant-n=10', '--variant-x=2', '--counts'],
      code: 'invalid_request',
      field: 'counts',
    },
    {
      what: 'an unknown option',
      args: ['--baseline=1', '--variant=2', '--colour=red'],
      code: 'usage',
      field: 'colour',
    },
  ])('refuses $what: exit 2, $code on $field', async ({ args, code, field }) => {
    const run = await runCli(['compare', ...args, '--json']);
    expect(run.code).toBe(2);
    expect(jsonOf<ErrorJson>(run).error).toMatchObject({ code, field });
  });
});
