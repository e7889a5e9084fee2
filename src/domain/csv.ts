/**
 * CSV cells that are safe to open in a spreadsheet: the one writer of every CSV Chatmark prints
 * (the CLI's `report … --csv` today; the dashboard imports it from here as it does other domain
 * code). Text can be planted by anyone — a `Referer` header, the pixel's `utm_source` — so a text
 * cell a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a
 * leading `'` (OWASP, "CSV Injection"), then RFC 4180 quoting.
 *
 * Numbers are numbers, not formulas: a JavaScript number (money -1250, a rate -0.5) is written as
 * is, because its text is only a number and a spreadsheet must keep summing it. Only text cells are
 * neutralised, including text that looks numeric ("-12.50" from a header is text).
 */

/** The characters a spreadsheet may take as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: `null`/`undefined` → empty; numbers, booleans and bigints as written; objects as
 * JSON text; text neutralised and quoted when it holds a comma, quote or line break.
 *
 * @example csvCell('=HYPERLINK("http://x")') === `"'=HYPERLINK(""http://x"")"`
 * @example csvCell(-1250) === '-1250'
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line (no line break) of cells.
 *
 * @example csvRow(['a', -1, '@x']) === "a,-1,'@x"
 */
export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}
