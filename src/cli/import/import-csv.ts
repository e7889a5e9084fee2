import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';
import { ChatmarkError, type ErrorCode } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { transactionWithRetry } from '../../store/retry.js';

/** One CSV row: header column (lowercased) → trimmed cell. */
export type Row = Readonly<Record<string, string>>;

/** A row the import refused; `line` is the row's first line in the file (the header is line 1). */
export interface RowError {
  line: number;
  code: ErrorCode;
  message: string;
  field?: string | undefined;
}

/** What one kind of import (exposures, costs) adds to the common CSV loop. */
export interface Importer<T> {
  /** Every column it reads, so that others can be reported as ignored. */
  readonly columns: readonly string[];
  /** Columns the header must have; each entry lists alternatives (`campaign` or `campaign_id`). */
  readonly required: readonly (readonly string[])[];
  /** A row as the service's input, or a ChatmarkError whose `field` is the column. */
  parse(row: Row): Promise<T>;
  /** Writes a batch (inside the transaction it is given); resolves to how many rows were new. */
  write(trx: Db, batch: readonly T[], now: number): Promise<number>;
}

export interface ImportSummary {
  file: string;
  /** Data rows read (the header not counted). */
  rows: number;
  /** Rows written (new or already there). */
  imported: number;
  /** Rows that were new. */
  created: number;
  refused: number;
  /** The first MAX_ERRORS refused rows (`refused` counts them all). */
  errors: RowError[];
  /** Header columns the import does not read. */
  ignoredColumns: string[];
}

/** Rows per transaction: large enough to amortise the commit, small enough to keep locks short. */
export const BATCH_SIZE = 1000;
/** Refused rows kept for the report; a file of a million bad rows must not fill memory. */
export const MAX_ERRORS = 1000;

interface ParsedRecord {
  record: Record<string, string>;
  raw: string;
  info: { lines: number };
}

/**
 * Streams `file` through csv-parse and `importer`, writing good rows in transactions of
 * BATCH_SIZE and collecting refused rows instead of stopping. Throws ChatmarkError (exit 2) only
 * when the file as a whole is unusable: unreadable, no header, or a required column missing.
 *
 * @example const summary = await importCsv(store.db, 'costs.csv', costImporter(store.db), { onRow });
 */
export async function importCsv<T>(
  db: Db,
  file: string,
  importer: Importer<T>,
  { onRow, now = Date.now }: { onRow?: (rows: number) => void; now?: () => number } = {},
): Promise<ImportSummary> {
  await assertReadable(file);
  let header: string[] | undefined;
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // A row of the wrong length or an unclosed quote refuses that row, not the file.
    skip_records_with_error: true,
    info: true,
    raw: true,
    columns: (names: string[]) => {
      header = checkHeader(file, names, importer.required);
      return header;
    },
  });
  const source = createReadStream(file);
  source.on('error', (error) => parser.destroy(unreadable(file, error)));
  source.pipe(parser);

  const summary: ImportSummary = {
    file,
    rows: 0,
    imported: 0,
    created: 0,
    refused: 0,
    errors: [],
    ignoredColumns: [],
  };
  const refuse = (error: RowError) => {
    summary.refused += 1;
    if (summary.errors.length < MAX_ERRORS) summary.errors.push(error);
  };
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    summary.rows += 1;
    refuse({ line: error.lines ?? 0, code: 'invalid_csv', message: error.message });
    onRow?.(summary.rows);
  });

  let batch: T[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    summary.created += await transactionWithRetry(db, (trx) => importer.write(trx, rows, now()));
    summary.imported += rows.length;
  };
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      summary.rows += 1;
      try {
        batch.push(await importer.parse(parsed.record));
      } catch (error) {
        if (!(error instanceof ChatmarkError)) throw error;
        refuse({ line: firstLine(parsed), code: error.code, message: error.message, field: error.field });
      }
      if (batch.length >= BATCH_SIZE) await flush();
      onRow?.(summary.rows);
    }
  } catch (error) {
    throw error instanceof CsvError ? new ChatmarkError('invalid_csv', error.message, 'file') : error;
  }
  await flush();
  // csv-parse reports malformed rows as it reads them, ahead of the rows still being imported.
  summary.errors.sort((a, b) => a.line - b.line);
  if (header === undefined) throw new ChatmarkError('missing_header', `${file} has no header row`, 'file');
  summary.ignoredColumns = header.filter((name) => !importer.columns.includes(name));
  return summary;
}

/** Lowercased column names, refused when a required column or a name is missing or repeated. */
function checkHeader(file: string, names: string[], required: Importer<unknown>['required']): string[] {
  const columns = names.map((name) => name.toLowerCase());
  const seen = new Set<string>();
  for (const [index, name] of columns.entries()) {
    if (name === '')
      throw new ChatmarkError('invalid_header', `Column ${index + 1} of ${file} has no name`, 'file');
    if (seen.has(name))
      throw new ChatmarkError('duplicate_column', `${file} has two "${name}" columns`, name);
    seen.add(name);
  }
  for (const alternatives of required) {
    if (!alternatives.some((name) => seen.has(name))) {
      const names = alternatives.map((name) => `"${name}"`).join(' or ');
      throw new ChatmarkError('missing_column', `${file} has no ${names} column`, alternatives[0]);
    }
  }
  return columns;
}

/**
 * csv-parse reports the line a record ends on; a quoted cell may span lines, so the line breaks
 * inside the record are subtracted (csv-parse counts `\r` and `\n` separately, and so does this).
 */
function firstLine({ raw, info }: ParsedRecord): number {
  const body = raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
  return info.lines - (body.match(/[\r\n]/g)?.length ?? 0);
}

async function assertReadable(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile())
      throw new ChatmarkError('unreadable_file', `${file} is not a file`, 'file');
  } catch (error) {
    throw error instanceof ChatmarkError ? error : unreadable(file, error);
  }
}

function unreadable(file: string, error: unknown): ChatmarkError {
  const reason = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
  return new ChatmarkError('unreadable_file', `Cannot read ${file}${reason}`, 'file');
}

/**
 * Counts the lines of `file` without parsing it (the progress bar's total): newline bytes, plus a
 * last line without one.
 *
 * @example await countLines('exposures.csv') // 10001 for a header and 10,000 rows
 */
export async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1] ?? last;
  }
  return last === 0x0a ? lines : lines + 1;
}
