import type { Command } from 'commander';
import type { UtmFinding } from '../../domain/utm.js';
import { buildUtm, fixUtm, lintUtm } from '../../domain/utm.js';
import { action, type JsonOption, jsonOption, printJson, printLines, printWarnings } from '../output.js';

interface BuildOptions extends JsonOption {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
  keepExisting?: boolean;
}

interface LintOptions extends JsonOption {
  fix?: boolean;
}

/**
 * `chatmark utm build <url>` and `chatmark utm lint <url>`. Both report the lint findings of the
 * URL they end with; only `lint` fails (exit 1) on them, since linting is its whole job.
 *
 * @example chatmark utm lint 'https://acme.example/?utm_source=Instagram' --fix --json
 */
export function registerUtmCommand(program: Command): void {
  const utm = program.command('utm').description('build and lint UTM-tagged URLs');

  utm
    .command('build')
    .description('add UTM parameters to a URL')
    .argument('<url>', 'the destination URL')
    .option('--source <source>', 'utm_source')
    .option('--medium <medium>', 'utm_medium')
    .option('--campaign <campaign>', 'utm_campaign')
    .option('--term <term>', 'utm_term')
    .option('--content <content>', 'utm_content')
    .option('--keep-existing', 'keep UTM values already in the URL instead of replacing them')
    .addOption(jsonOption())
    .action(
      action((url: string, { json, keepExisting, ...values }: BuildOptions) => {
        const built = buildUtm(url, values, { keepExisting: keepExisting === true });
        const findings = lintUtm(built);
        if (json) printJson({ url: built, findings });
        else {
          printLines(built);
          printWarnings(findings.map(describeFinding));
        }
        return 0;
      }),
    );

  utm
    .command('lint')
    .description('check a URL against the UTM rules (exit 1 when it finds problems)')
    .argument('<url>', 'the URL to check')
    .option('--fix', 'also print the URL with every fixable problem fixed')
    .addOption(jsonOption())
    .action(
      action((url: string, { json, fix }: LintOptions) => {
        const findings = lintUtm(url);
        if (fix !== true) {
          if (json) printJson({ url, findings });
          else printLines(...(findings.length === 0 ? ['no problems found'] : findings.map(describeFinding)));
          return findings.length === 0 ? 0 : 1;
        }
        // With --fix, as with a linter's --fix, only problems the fix leaves behind fail the run.
        const fixed = fixUtm(url);
        const remaining = lintUtm(fixed);
        if (json) printJson({ url: fixed, findings, remaining });
        else printLines(fixed, ...findings.map(describeFinding));
        return remaining.length === 0 ? 0 : 1;
      }),
    );
}

function describeFinding(finding: UtmFinding): string {
  const fix = finding.fix === null ? '' : ` (fix: ${finding.fix})`;
  return `${finding.code} ${finding.param}: ${finding.message}${fix}`;
}
