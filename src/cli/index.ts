import { Command } from 'commander';
import { processEnv } from '../config.js';
import { registerCompareCommand } from './commands/compare.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerLinkCommand } from './commands/link.js';
import { registerQrCommand } from './commands/qr.js';
import { registerRefCommand } from './commands/ref.js';
import { registerReportCommand } from './commands/report.js';
import { registerServeCommand } from './commands/serve.js';
import { registerUtmCommand } from './commands/utm.js';
import { exitCodeOf, reportError } from './output.js';

/**
 * The `chatmark` program: root settings first (subcommands copy them when they are created),
 * then one `register…Command(program)` per file in ./commands/.
 *
 * @example await createProgram().parseAsync(['node', 'chatmark', 'ref', 'new']);
 */
export function createProgram(): Command {
  const program = new Command('chatmark')
    .description(
      'Click-to-chat links, tracked short links, ref tokens, UTM tags and QR codes for chat campaigns',
    )
    // Errors reach main() as exceptions and are printed by reportError, in one shape.
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  registerLinkCommand(program);
  registerRefCommand(program);
  registerUtmCommand(program);
  registerQrCommand(program);
  registerServeCommand(program);
  registerKeysCommand(program);
  registerReportCommand(program);
  registerCompareCommand(program);
  registerImportCommand(program);
  registerDemoCommand(program);
  return program;
}

/**
 * Runs the CLI on `argv` (as in `process.argv`: node, script, then arguments) and resolves to the
 * process exit code; never throws.
 *
 * @example process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return exitCodeOf(program);
  } catch (error) {
    return reportError(error, { json: wantsJson(argv), debug: debugEnabled() });
  }
}

/**
 * Whether `--json` was asked for, read from the raw arguments because a parse error stops
 * commander before it has recorded any option. Arguments after `--` are operands, not options.
 */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Stack traces for unexpected errors (the environment is read through config.ts only). */
function debugEnabled(): boolean {
  const value = processEnv().CHATMARK_DEBUG?.toLowerCase();
  return value === 'true' || value === '1' || value === 'yes';
}
