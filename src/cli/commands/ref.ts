import type { Command } from 'commander';
import { formatRefToken, parseRefToken, randomRefToken } from '../../domain/ref-token.js';
import {
  action,
  type JsonOption,
  jsonOption,
  printJson,
  printLines,
  printNote,
  printResult,
} from '../output.js';

/**
 * `chatmark ref new` and `chatmark ref parse <message text>`. Tokens are printed in their printed
 * form `XXXX-XXXX`, the one that survives being typed into a chat (DESIGN.md "Chat-start attribution").
 *
 * @example chatmark ref parse "Hi! I'd like the spring offer (ref 7KQ2-M9X1)" --json
 */
export function registerRefCommand(program: Command): void {
  const ref = program.command('ref').description('make and read per-click ref tokens');

  ref
    .command('new')
    .description('print a new random ref token')
    .addOption(jsonOption())
    .action(
      action(({ json }: JsonOption) => {
        const token = formatRefToken(randomRefToken());
        printResult({ token }, token, json === true);
        return 0;
      }),
    );

  ref
    .command('parse')
    .description('find the ref token in a message a person sent (exit 1 when there is none)')
    // Variadic, so an unquoted message works too; its words are joined back with single spaces.
    .argument('<message...>', 'the message text')
    .addOption(jsonOption())
    .action(
      action((words: string[], { json }: JsonOption) => {
        const canonical = parseRefToken(words.join(' '));
        const token = canonical === undefined ? null : formatRefToken(canonical);
        if (json) printJson({ token });
        else if (token === null) printNote('no ref token found');
        else printLines(token);
        return token === null ? 1 : 0;
      }),
    );
}
