import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's real bin; it runs the compiled CLI in dist/. */
export const BIN = fileURLToPath(new URL('../../bin/chatmark.js', import.meta.url));
const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

export interface CliRun {
  /** The process exit code. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Extra environment variables on top of this process's environment. */
  env?: Record<string, string>;
}

/**
 * Runs `node bin/chatmark.js …args` as a child process and resolves with what it printed and its
 * exit code (a non-zero exit resolves too; only a failure to spawn rejects). Needs a build:
 * `npm test` builds first; alone, run `npx tsc -p tsconfig.build.json`.
 *
 * @example const { code, stdout } = await runCli(['ref', 'new', '--json']);
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  if (!existsSync(BUILT_CLI)) {
    return Promise.reject(
      new Error(
        `${BUILT_CLI} is missing: build first with \`npx tsc -p tsconfig.build.json\` (npm test does)`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...options.env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/**
 * Parses the one JSON object a `--json` run must print: stdout holds exactly one line.
 *
 * @example const { url } = jsonOf<{ url: string }>(await runCli(['link', 'signal', '--phone', '+447911123456', '--json']));
 */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) {
    throw new Error(
      `expected one JSON line on stdout, got ${lines.length}:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  return JSON.parse(lines[0]!) as T;
}
