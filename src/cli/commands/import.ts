import type { Command } from 'commander';
import type { StoreDb } from '../../store/dialect.js';
import type { ImportSummary } from '../import/import-csv.js';
import type { ProgressBar } from '../progress.js';
import { action, type JsonOption, jsonOption, printNote, printResult, printWarnings } from '../output.js';
import { withStore } from './keys.js';

/** Refused rows listed on stderr; `--json` carries up to MAX_ERRORS (import-csv.ts). */
const LISTED_ERRORS = 20;

interface Kind {
  /** The subcommand, as in `chatmark import <name>`. */
  name: string;
  /** The summary's noun, singular and plural. */
  noun: [string, string];
  /** What a row that was not new is called. */
  existing: string;
  /** Prepares the import on an open store: lookups, and for exposures the identity key. */
  open(store: StoreDb): Promise<RunImport>;
}

type RunImport = (file: string, onRow: (rows: number) => void) => Promise<ImportSummary>;

const KINDS = {
  exposures: {
    name: 'exposures',
    noun: ['exposure', 'exposures'],
    existing: 'already there',
    async open(store) {
      const { loadConfig, processEnv } = await import('../../config.js');
      const { openIdentityHasher } = await import('../../services/identity-key.js');
      const { secretKeySource } = await import('../../services/secret-key.js');
      const { exposureImporter } = await import('../import/exposures.js');
      const { importCsv } = await import('../import/import-csv.js');
      // The same keys as buildServer (src/server.ts), so the CLI and the server hash alike.
      const identities = await openIdentityHasher(store.db, secretKeySource(loadConfig(processEnv())));
      const importer = exposureImporter(store.db, identities);
      return (file, onRow) => importCsv(store.db, file, importer, { onRow });
    },
  },
  costs: {
    name: 'costs',
    noun: ['cost day', 'cost days'],
    existing: 'replaced',
    async open(store) {
      const { costImporter } = await import('../import/costs.js');
      const { importCsv } = await import('../import/import-csv.js');
      const importer = costImporter(store.db);
      return (file, onRow) => importCsv(store.db, file, importer, { onRow });
    },
  },
} satisfies Record<string, Kind>;

/**
 * `chatmark import exposures|costs <file.csv>`: loads a CSV into the configured store, streaming
 * it in transactions of 1,000 rows. Bad rows are refused one by one and the rest imported: exit 0
 * when every row was imported, 1 when some were refused (the first 20 listed on stderr), 2 when
 * the file itself is unusable (unreadable, no header, a required column missing).
 */
export function registerImportCommand(program: Command): void {
  const group = program
    .command('import')
    .description('import CSV files into the store: exposures (messages sent) and costs (spend per day)');
  group
    .command('exposures')
    .description(
      'import sends: sent_at, external_id/email/phone (+country), campaign or campaign_id, [link|link_id, channel, idempotency_key]',
    )
    .argument('<file>', 'the CSV file (header row first)')
    .addOption(jsonOption())
    .action(action((file: string, options: JsonOption) => runImport(KINDS.exposures, file, options)));
  group
    .command('costs')
    .description(
      'import spend per campaign and day: campaign or campaign_id, date, spend (major units) or spend_minor, currency, [impressions, reach]',
    )
    .argument('<file>', 'the CSV file (header row first)')
    .addOption(jsonOption())
    .action(action((file: string, options: JsonOption) => runImport(KINDS.costs, file, options)));
}

async function runImport(kind: Kind, file: string, options: JsonOption): Promise<number> {
  const json = options.json === true;
  const { countLines } = await import('../import/import-csv.js');
  const { createProgressBar } = await import('../progress.js');
  const summary = await withStore(async (store) => {
    const run = await kind.open(store);
    // Only a person watching a terminal gets a bar; pipes and --json get the summary alone.
    let bar: ProgressBar | undefined;
    if (!json && process.stderr.isTTY === true) {
      // An unreadable file counts as 0 lines here; importCsv reports it properly.
      const lines = await countLines(file).catch(() => 0);
      bar = createProgressBar(process.stderr, Math.max(0, lines - 1));
    }
    try {
      const result = await run(file, (rows) => bar?.update(rows));
      bar?.finish(result.rows);
      return result;
    } catch (error) {
      bar?.clear();
      throw error;
    }
  });
  const { ignoredColumns, ...result } = summary;
  printResult(result, summaryLine(kind, summary), json);
  listRefused(summary);
  printWarnings(
    ignoredColumns.map((name) => `column "${name}" is not a column of ${kind.name} files; ignored`),
  );
  return summary.refused > 0 ? 1 : 0;
}

/** `imported 9,998 exposures (9,990 new, 8 already there) from exposures.csv; 2 rows refused` */
function summaryLine(kind: Kind, s: ImportSummary): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const noun = kind.noun[s.imported === 1 ? 0 : 1];
  const refused = s.refused > 0 ? `; ${n(s.refused)} row${s.refused === 1 ? '' : 's'} refused` : '';
  return `imported ${n(s.imported)} ${noun} (${n(s.created)} new, ${n(s.imported - s.created)} ${kind.existing}) from ${s.file}${refused}`;
}

function listRefused(s: ImportSummary): void {
  for (const e of s.errors.slice(0, LISTED_ERRORS)) {
    printNote(`refused line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message} [${e.code}]`);
  }
  const more = s.refused - Math.min(s.errors.length, LISTED_ERRORS);
  if (more > 0)
    printNote(`… and ${more.toLocaleString('en-US')} more refused rows (--json lists the first 1,000)`);
}
