import type { Command } from 'commander';
import { ChatmarkError } from '../../domain/errors.js';
import { action, type JsonOption, jsonOption, printNote, printResult } from '../output.js';

interface DemoOptions extends JsonOption {
  campaigns: string;
  seed: string;
}

/** A whole number in [min, max], or a `usage` error naming the option. */
function wholeNumber(value: string, field: string, min: number, max: number): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new ChatmarkError('usage', `--${field} must be a whole number from ${min} to ${max}`, field);
  return parsed;
}

/**
 * `chatmark demo [--campaigns N] [--json]`: fills an empty store with 30 days of realistic data
 * (src/demo), played through the real server in-process (so the server must not be running on the
 * same SQLite file; with DATABASE_URL it may).
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('fill an empty store with 30 days of demo campaigns, clicks, chats and sales')
    .option('--campaigns <n>', 'how many campaigns, 1 to 20', '4')
    .option('--seed <n>', 'the random seed: the same seed makes the same data', '1')
    .addOption(jsonOption())
    .action(
      action(async (options: DemoOptions) => {
        const campaigns = wholeNumber(options.campaigns, 'campaigns', 1, 20);
        const seed = wholeNumber(options.seed, 'seed', 0, 2 ** 32 - 1);
        const { loadConfig, processEnv } = await import('../../config.js');
        const { DEMO_WEBHOOK_ENV } = await import('../../demo/play.js');
        const { loadDemo } = await import('../../demo/load.js');
        const { formatDemoSummary } = await import('../../demo/summary.js');
        const started = Date.now();
        const config = loadConfig({
          ...processEnv(),
          ...DEMO_WEBHOOK_ENV,
          // Thousands of requests in seconds from one key: the limit is for real clients.
          RATE_LIMIT_PER_MINUTE: '0',
        });
        const { counts, adminKey } = await loadDemo(config, { campaigns, seed, started });
        const url = config.baseUrl ?? `http://localhost:${config.port}`;
        printResult(
          { ...counts, adminKey, seconds: (Date.now() - started) / 1000 },
          formatDemoSummary(counts, adminKey, url),
          options.json === true,
        );
        if (config.store.kind === 'sqlite' && options.json !== true)
          printNote(`(start the server now: chatmark serve; the data is in ${config.store.file})`);
        return 0;
      }),
    );
}
