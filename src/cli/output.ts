import type { Command } from 'commander';
import { CommanderError, Option } from 'commander';
import { ChatmarkError, ERROR_CATALOGUE } from '../domain/errors.js';
import { isStoreUnavailable } from '../store/availability.js';

/**
 * Everything the CLI prints goes through here, so that the `--json` contract (exactly one JSON
 * object on stdout), the exit codes and the error shape live in one file:
 *
 * - 0: done; 1: the command ran and the answer is "no" (`utm lint` found problems, `ref parse`
 *   found no token). A failure exits with its code's `exit` in the error catalogue
 *   (domain/error-codes.ts): 2 when the input was refused, 1 for an unexpected error (a bug,
 *   `internal`), 75 when the database cannot be reached (`store_unavailable`: try again).
 * - Errors use the HTTP API's wire shape, `{"error":{"code","message","field"}}` (DESIGN.md
 *   "Interfaces"), on stdout with `--json`; the message always goes to stderr.
 */

/** Options every command that prints data accepts. */
export interface JsonOption {
  json?: boolean | undefined;
}

/** The `--json` flag, declared once so every command describes it the same way. */
export function jsonOption(): Option {
  return new Option('--json', 'print one JSON object on stdout instead of text');
}

/** Prints one JSON object (one line) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints lines for a person on stdout; the first line is the result, so `| head -1` works. */
export function printLines(...lines: string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Prints a command's result: `value` as one JSON object with `--json`, else `text` for a person.
 *
 * @example printResult({ token }, token, options.json === true);
 */
export function printResult(value: unknown, text: string, json: boolean): void {
  if (json) printJson(value);
  else printLines(text);
}

/** Prints a note for a person on stderr (kept off stdout so the result stays pipeable). */
export function printNote(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Prints warnings on stderr, one per line, prefixed `warning:`. */
export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) printNote(`warning: ${warning}`);
}

/** What an action returns: its exit code, or nothing for 0. */
export type ActionResult = number | undefined;

// Commander ignores what an action returns, so the exit code is kept per root command for main().
const exitCodes = new WeakMap<Command, number>();

/**
 * Wraps a command's action so that it can return its exit code; `main()` reads it back with
 * `exitCodeOf(program)`. Throwing is for failures only: refused input (a ChatmarkError) and bugs.
 *
 * @example
 * command.action(action(async (url: string, options: LintOptions) => (findings.length > 0 ? 1 : 0)));
 */
export function action<Args extends unknown[]>(
  run: (...args: Args) => ActionResult | Promise<ActionResult>,
): (this: Command, ...args: Args) => Promise<void> {
  return async function (this: Command, ...args: Args): Promise<void> {
    const code = (await run(...args)) ?? 0;
    exitCodes.set(rootOf(this), code);
  };
}

/** The exit code the action that ran under `program` returned (0 when it returned nothing). */
export function exitCodeOf(program: Command): number {
  return exitCodes.get(program) ?? 0;
}

function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

export interface ReportOptions {
  /** `--json` was given: the error object goes to stdout too. */
  json: boolean;
  /** Print the stack of unexpected errors (CHATMARK_DEBUG). */
  debug: boolean;
}

/**
 * The one place the CLI turns an error into output and an exit code, the catalogue's `exit` for
 * its code: a ChatmarkError (commander's own usage errors are code `usage`) by its code, a
 * database that cannot be reached as `store_unavailable`, anything else as `internal` (a bug,
 * with its stack only when debugging). Help and version exit 0.
 *
 * @example return reportError(new ChatmarkError('invalid_phone', 'Not a possible phone number', 'phone'), { json: true, debug: false }); // 2
 */
export function reportError(error: unknown, options: ReportOptions): number {
  // Commander ends `--help`, `help <command>` and `--version` by "throwing" with exit code 0.
  if (error instanceof CommanderError && error.exitCode === 0) return 0;
  const known = error instanceof CommanderError ? usageError(error) : knownError(error);
  if (known) {
    printNote(`error: ${known.message}`);
    if (options.json) printJson({ error: known.toJSON() });
    return ERROR_CATALOGUE[known.code].exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  printNote(options.debug && error instanceof Error && error.stack ? error.stack : `error: ${message}`);
  if (options.json) printJson({ error: { code: 'internal', message } });
  return ERROR_CATALOGUE.internal.exit;
}

/**
 * The error as a ChatmarkError when it has a code: its own, or `store_unavailable` for a
 * database that cannot be reached. The message stays the driver's (it names the address): the
 * person at the terminal runs this server, unlike an API client.
 */
function knownError(error: unknown): ChatmarkError | undefined {
  if (error instanceof ChatmarkError) return error;
  if (!isStoreUnavailable(error)) return undefined;
  const unavailable = new ChatmarkError(
    'store_unavailable',
    error instanceof Error ? error.message : String(error),
  );
  unavailable.cause = error;
  return unavailable;
}

/**
 * Commander's parse errors as ChatmarkError `usage`, with the option or argument they name as
 * `field` in the same camelCase form as the domain's fields (`--share-url` → `shareUrl`).
 * Commander's errors carry no structured field, so it is read from the message it formats.
 */
function usageError(error: CommanderError): ChatmarkError {
  if (error.code === 'commander.help') {
    // A command group called without a subcommand: commander has printed its help on stderr.
    return new ChatmarkError('usage', 'a command is required; see --help');
  }
  const message = error.message.replace(/^error: /, '');
  const option = /option '(--?[A-Za-z][\w-]*)/.exec(message)?.[1];
  const argument = /argument '([^']+)'/.exec(message)?.[1];
  const field = option ? camelCase(option.replace(/^--?/, '')) : argument ? camelCase(argument) : undefined;
  return new ChatmarkError('usage', message, field);
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
