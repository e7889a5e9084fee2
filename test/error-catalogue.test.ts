import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../src/domain/error-codes.js';

// The catalogue (src/domain/error-codes.ts) is the one list of error codes; README's "Errors"
// table documents it and the source produces it. These tests keep the three in step.

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  code: string;
  status: number;
  exit: number;
}

/** The rows of the table under README's `### Errors` heading: | `code` | HTTP | exit | when |. */
function readmeErrorTable(): Row[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^### Errors$/m)[1];
  if (section === undefined) throw new Error('README.md has no "### Errors" section');
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(
    start,
    lines.findIndex((line, i) => i > start && !line.startsWith('|')),
  );
  const [header, , ...body] = table;
  expect(header?.split('|').map((cell) => cell.trim())).toEqual(['', 'code', 'HTTP', 'exit', 'when', '']);
  return body.map((line) => {
    const [, code, status, exit] = line.split('|').map((cell) => cell.trim());
    const name = /^`([a-z_]+)`$/.exec(code ?? '')?.[1];
    if (name === undefined) throw new Error(`README error table: a row without a \`code\`: ${line}`);
    return { code: name, status: Number(status), exit: Number(exit) };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the error catalogue', () => {
  const rows = readmeErrorTable();

  it("README's error table lists every code of the catalogue, and no other", () => {
    const listed = rows.map((row) => row.code);
    expect(ERROR_CODES.filter((code) => !listed.includes(code))).toEqual([]); // missing from README
    expect(listed.filter((code) => !(ERROR_CODES as string[]).includes(code))).toEqual([]); // not codes
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("README gives each code the catalogue's HTTP status and exit code", () => {
    for (const row of rows.filter((r) => r.code in ERROR_CATALOGUE)) {
      const { status, exit } = ERROR_CATALOGUE[row.code as ErrorCode];
      expect({ code: row.code, status: row.status, exit: row.exit }).toEqual({
        code: row.code,
        status,
        exit,
      });
    }
  });

  it('lists no code that nothing in src/ produces', () => {
    const source = sourceFiles(join(ROOT, 'src'))
      .filter((path) => !path.endsWith(join('domain', 'error-codes.ts')))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    expect(ERROR_CODES.filter((code) => !source.includes(`'${code}'`))).toEqual([]);
  });

  it('keeps exit 2 for every refused input (4xx) and names the other exits', () => {
    for (const code of ERROR_CODES) {
      const { status, exit } = ERROR_CATALOGUE[code];
      if (status < 500) expect({ code, exit }).toEqual({ code, exit: 2 });
    }
    expect(ERROR_CATALOGUE.internal).toMatchObject({ status: 500, exit: 1 });
    expect(ERROR_CATALOGUE.store_unavailable).toMatchObject({ status: 503, exit: 75 });
  });
});
