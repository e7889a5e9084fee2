import type { Command } from 'commander';
import { ChatmarkError, isChatmarkError } from '../../domain/errors.js';
import {
  compare,
  type CompareRequest,
  describeComparison,
  describeDetails,
} from '../../domain/stats/compare.js';
import { action, type JsonOption, jsonOption, printResult } from '../output.js';

interface CompareOptions extends JsonOption {
  baselineN?: string;
  baselineX?: string;
  variantN?: string;
  variantX?: string;
  baseline?: string;
  variant?: string;
  counts?: boolean;
  weights?: string;
  minConversions?: string;
  plannedSampleSize?: string;
  rollbackThreshold?: string;
  minimumEffect?: string;
}

/** The request's field names as this command's options name them, for the error's `field`. */
const OPTION_OF: Readonly<Record<string, string>> = {
  'baseline.n': 'baselineN',
  'baseline.x': 'baselineX',
  'variant.n': 'variantN',
  'variant.x': 'variantX',
  'weights[0]': 'weights',
  'weights[1]': 'weights',
};

const flag = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A number flag: finite, in plain decimal or exponent form; anything else is refused (exit 2). */
function number(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed)) {
    throw new ChatmarkError('invalid_number', `${flag(field)} must be a number, got "${value}"`, field);
  }
  return parsed;
}

/** The flags as the request `compare()` takes (the same one `POST /api/experiments/compare` does). */
function toRequest(options: CompareOptions): CompareRequest {
  const arms = ['baselineN', 'baselineX', 'variantN', 'variantX'] as const;
  const given = arms.filter((name) => options[name] !== undefined);
  const values = (['baseline', 'variant'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 0 && values.length > 0) {
    throw new ChatmarkError(
      'usage',
      'give either --baseline-n/-x and --variant-n/-x (proportions) or --baseline and --variant (values)',
      values[0],
    );
  }
  const common = {
    minConversions: number(options.minConversions, 'minConversions'),
    plannedSampleSize: number(options.plannedSampleSize, 'plannedSampleSize'),
    rollbackThreshold: number(options.rollbackThreshold, 'rollbackThreshold'),
    minimumEffect: number(options.minimumEffect, 'minimumEffect'),
    counts: options.counts,
  };
  let weights: [number, number] | undefined;
  if (options.weights !== undefined) {
    const parts = options.weights.split(',');
    if (parts.length !== 2) {
      throw new ChatmarkError(
        'invalid_weights',
        '--weights takes two numbers: baseline,variant (e.g. 50,50)',
        'weights',
      );
    }
    weights = [number(parts[0], 'weights')!, number(parts[1], 'weights')!];
  }
  if (given.length > 0) {
    const missing = arms.find((name) => options[name] === undefined);
    if (missing) throw new ChatmarkError('usage', `${flag(missing)} is required with proportions`, missing);
    return {
      ...common,
      weights,
      baseline: { n: number(options.baselineN, 'baselineN')!, x: number(options.baselineX, 'baselineX')! },
      variant: { n: number(options.variantN, 'variantN')!, x: number(options.variantX, 'variantX')! },
    };
  }
  if (values.length === 0) {
    throw new ChatmarkError(
      'usage',
      'give --baseline-n, --baseline-x, --variant-n and --variant-x (proportions) or --baseline and --variant (values)',
      'baselineN',
    );
  }
  const missing = (['baseline', 'variant'] as const).find((name) => options[name] === undefined);
  if (missing) throw new ChatmarkError('usage', `${flag(missing)} is required with --${values[0]}`, missing);
  return {
    ...common,
    weights,
    baseline: number(options.baseline, 'baseline')!,
    variant: number(options.variant, 'variant')!,
  };
}

/**
 * `chatmark compare`: a baseline and a variant compared as `POST /api/experiments/compare` does
 * (spec/metrics.md §3), with no server. Proportions give the relative change, its 95% CI, the
 * p-value, the sample-ratio check (with --weights), the minimum sample and the verdict; values give
 * the relative change, and with --counts the Poisson test.
 *
 * @example chatmark compare --baseline-n 83 --baseline-x 5 --variant-n 99 --variant-x 12 --json
 * @example chatmark compare --baseline 19000 --variant 19760   # variant +4.00% …
 */
export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'compare a baseline and a variant: relative change, CI, p-value, sample-ratio check, verdict',
    )
    .option('--baseline-n <n>', 'proportions: baseline units (e.g. chats started)')
    .option('--baseline-x <x>', 'proportions: baseline successes (e.g. purchases)')
    .option('--variant-n <n>', 'proportions: variant units')
    .option('--variant-x <x>', 'proportions: variant successes')
    .option('--weights <wB,wV>', 'proportions: the planned split, e.g. 50,50 (runs the sample-ratio check)')
    .option('--min-conversions <n>', 'proportions: minimum conversions in the larger arm (default 150)')
    .option('--planned-sample-size <n>', 'proportions: planned units per arm')
    .option(
      '--rollback-threshold <fraction>',
      'proportions: roll back when the CI is entirely below −threshold',
    )
    .option('--minimum-effect <fraction>', 'proportions: ship when the CI is entirely above it (default 0)')
    .option('--baseline <value>', 'values: the baseline value')
    .option('--variant <value>', 'values: the variant value')
    .option('--counts', 'values: both are counts with equal exposure (Poisson test)')
    .addOption(jsonOption())
    .action(
      action((options: CompareOptions) => {
        let result;
        try {
          result = compare(toRequest(options));
        } catch (error) {
          // The request's fields (baseline.x, weights[0]) named as this command's options.
          if (isChatmarkError(error) && error.field !== undefined && OPTION_OF[error.field]) {
            throw new ChatmarkError(error.code, error.message, OPTION_OF[error.field]);
          }
          throw error;
        }
        printResult(
          result,
          [describeComparison(result), ...describeDetails(result)].join('\n'),
          options.json === true,
        );
        return 0;
      }),
    );
}
