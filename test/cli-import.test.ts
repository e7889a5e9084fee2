import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgressBar, renderProgress } from '../src/cli/progress.js';
import { openIdentityHasher } from '../src/services/identity-key.js';
import { insertCampaign } from '../src/store/campaigns.repository.js';
import { listCosts } from '../src/store/costs.repository.js';
import type { StoreDb } from '../src/store/dialect.js';
import { insertLink } from '../src/store/links.repository.js';
import { openStore } from '../src/store/open-store.js';
import { type CliRun, jsonOf, runCli } from './support/run-cli.js';

// `chatmark import exposures|costs` through the real bin (needs a build: `npx tsc -p
// tsconfig.build.json`), each test on its own SQLite DATA_DIR. Money is exact integer minor units
// with an ISO 4217 currency (DESIGN.md "The funnel"); exposures are the billboard model's touches
// (DESIGN.md "Conversions and attribution").

interface Summary {
  file: string;
  rows: number;
  imported: number;
  created: number;
  refused: number;
  errors: { line: number; code: string; message: string; field?: string }[];
}
interface ErrorJson {
  error: { code: string; message: string; field?: string };
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Fixture {
  dir: string;
  env: Record<string, string>;
  campaignId: number;
  otherCampaignId: number;
  linkId: number;
  /** Writes `lines` (joined with \n) as a CSV in the data dir and returns its path. */
  csv(name: string, lines: string[]): Promise<string>;
  /** Runs `chatmark import …` on this fixture's store. */
  run(args: string[]): Promise<CliRun>;
  /** Opens the fixture's store for `check` and closes it afterwards. */
  inspect<T>(check: (store: StoreDb) => Promise<T>): Promise<T>;
}

/** A fresh SQLite store with campaigns `spring-sale` and `autumn`, and link `spr1` of spring-sale. */
async function fixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'chatmark-import-'));
  dirs.push(dir);
  const file = join(dir, 'chatmark.db');
  const inspect = async <T>(check: (store: StoreDb) => Promise<T>): Promise<T> => {
    const store = await openStore({ kind: 'sqlite', file });
    try {
      return await check(store);
    } finally {
      await store.close();
    }
  };
  const campaign = (slug: string) => ({
    slug,
    name: slug,
    owner: 'ana',
    channels: ['whatsapp', 'sms'],
    utm: {},
    budgetCap: null,
    startsAt: null,
    endsAt: null,
    rollbackCriteria: null,
    notes: null,
    primaryConversion: 'purchase',
  });
  const ids = await inspect(async ({ db }) => {
    const spring = await insertCampaign(db, campaign('spring-sale'), Date.now());
    const autumn = await insertCampaign(db, campaign('autumn'), Date.now());
    const link = await insertLink(
      db,
      {
        code: 'spr1',
        campaignId: spring.id,
        channel: 'whatsapp',
        target: { phone: '+447911123456' },
        text: null,
        utm: {},
        variant: null,
        expiresAt: null,
        maxClicks: null,
        createdBy: null,
      },
      Date.now(),
    );
    return { campaignId: spring.id, otherCampaignId: autumn.id, linkId: link.id };
  });
  // DATABASE_URL empty: SQLite under DATA_DIR whatever the outer environment says.
  const env = { DATA_DIR: dir, DATABASE_URL: '' };
  return {
    dir,
    env,
    ...ids,
    inspect,
    async csv(name, lines) {
      const path = join(dir, name);
      await writeFile(path, `${lines.join('\n')}\n`);
      return path;
    },
    run: (args) => runCli(['import', ...args], { env }),
  };
}

describe.concurrent('chatmark import exposures', () => {
  const GOOD = [
    'sent_at,external_id,email,phone,country,campaign,link,channel,idempotency_key',
    '2026-03-01T10:00:00Z,,Ana.Lopez@Example.COM,,,spring-sale,,sms,',
    // The same person in lower case, a day later: one contact, two exposures.
    '2026-03-02T10:00:00Z,,ana.lopez@example.com,,,spring-sale,,sms,',
    // E.164 written with spaces and brackets, no country needed.
    '2026-03-01T10:05:00+01:00,,,+1 (415) 555-2671,,spring-sale,spr1,whatsapp,',
    // National format: the country column says which nation.
    '2026-03-01T11:00:00Z,,,07911 123456,GB,spring-sale,,sms,send-42',
    '2026-03-01T12:00:00Z,crm-981,,,,autumn,,,',
  ];

  it('imports every row, hashes email and phone, and prints one summary line', async () => {
    const f = await fixture();
    const file = await f.csv('exposures.csv', GOOD);
    const run = await f.run(['exposures', file]);
    // Not a TTY: nothing but the summary (no progress bar on stderr).
    expect(run).toEqual({
      code: 0,
      stdout: `imported 5 exposures (5 new, 0 already there) from ${file}\n`,
      stderr: '',
    });

    await f.inspect(async ({ db }) => {
      // The server's keys: the store's own and the secret in DATA_DIR/secret.key the CLI made.
      const hasher = await openIdentityHasher(db, { kind: 'file', path: join(f.dir, 'secret.key') });
      const identities = await db.selectFrom('identities').select(['contact_id', 'kind', 'value']).execute();
      const contactOf = (kind: string, value: string) =>
        identities.find((i) => i.kind === kind && i.value === value)?.contact_id;
      // The CLI used the store's identity keys, so it hashes exactly as the server does.
      const ana = contactOf('email', hasher.email('ana.lopez@example.com').value);
      const us = contactOf('phone', hasher.phone('+14155552671').value);
      const uk = contactOf('phone', hasher.phone('+447911123456').value);
      const crm = contactOf('external', 'crm-981');
      expect([ana, us, uk, crm].every((id) => id !== undefined)).toBe(true);
      expect(new Set([ana, us, uk, crm]).size).toBe(4);
      // No raw email or phone number is stored.
      for (const { value } of identities) {
        expect(value).not.toMatch(/@|4155552671|7911123456/i);
      }

      const exposures = await db.selectFrom('exposures').selectAll().orderBy('id').execute();
      expect(exposures.map((e) => [e.contact_id, e.campaign_id, e.link_id, e.channel, e.sent_at])).toEqual([
        [ana, f.campaignId, null, 'sms', Date.parse('2026-03-01T10:00:00Z')],
        [ana, f.campaignId, null, 'sms', Date.parse('2026-03-02T10:00:00Z')],
        [us, f.campaignId, f.linkId, 'whatsapp', Date.parse('2026-03-01T09:05:00Z')],
        [uk, f.campaignId, null, 'sms', Date.parse('2026-03-01T11:00:00Z')],
        [crm, f.otherCampaignId, null, null, Date.parse('2026-03-01T12:00:00Z')],
      ]);
      expect(exposures[3]?.idempotency_key).toBe('send-42');
    });
  });

  it('importing the same file twice records each send once (second run: 0 new)', async () => {
    const f = await fixture();
    const file = await f.csv('exposures.csv', GOOD);
    const first = jsonOf<Summary>(await f.run(['exposures', file, '--json']));
    expect(first).toEqual({ file, rows: 5, imported: 5, created: 5, refused: 0, errors: [] });
    const second = await f.run(['exposures', file]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`imported 5 exposures (0 new, 5 already there) from ${file}\n`);
    const counts = await f.inspect(async ({ db }) => ({
      exposures: (await db.selectFrom('exposures').select('id').execute()).length,
      contacts: (await db.selectFrom('contacts').select('id').execute()).length,
    }));
    expect(counts).toEqual({ exposures: 5, contacts: 4 });
  });

  it('keeps the good rows when 2 are bad: exit 1, the errors name line and field', async () => {
    const f = await fixture();
    const file = await f.csv('exposures.csv', [
      'sent_at,email,campaign',
      '2026-03-01T10:00:00Z,a@example.com,spring-sale',
      '2026-03-01T10:00:00Z,not-an-email,spring-sale',
      '2026-03-01T10:00:00Z,b@example.com,spring-sale',
      '2026-03-01T10:00:00Z,c@example.com,no-such-campaign',
      '2026-03-01T10:00:00Z,d@example.com,spring-sale',
    ]);
    const text = await f.run(['exposures', file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(`imported 3 exposures (3 new, 0 already there) from ${file}; 2 rows refused\n`);
    expect(text.stderr.split('\n')).toEqual([
      'refused line 3 (email): "not-an-email" is not an email address [invalid_email]',
      'refused line 5 (campaign): No campaign "no-such-campaign" [unknown_campaign]',
      '',
    ]);
    const json = jsonOf<Summary>(await f.run(['exposures', file, '--json']));
    expect(json).toMatchObject({ rows: 5, imported: 3, created: 0, refused: 2 });
    expect(json.errors.map(({ line, code, field }) => ({ line, code, field }))).toEqual([
      { line: 3, code: 'invalid_email', field: 'email' },
      { line: 5, code: 'unknown_campaign', field: 'campaign' },
    ]);
    const stored = await f.inspect(async ({ db }) => db.selectFrom('exposures').select('id').execute());
    expect(stored).toHaveLength(3);
  });

  it('refuses each kind of bad row with its code and column, line numbers counting quoted line breaks', async () => {
    const f = await fixture();
    const rows: [row: string, code: string, field: string | undefined][] = [
      ['2026-03-01T10:00:00Z,,x@,,,spring-sale,,,,', 'invalid_email', 'email'],
      ['2026-03-01T10:00:00Z,,,12,,spring-sale,,,,', 'invalid_phone', 'phone'],
      ['2026-03-01T10:00:00Z,,,07911 123456,,spring-sale,,,,', 'invalid_phone', 'phone'],
      ['2026-03-01T10:00:00Z,,,07911 123456,XX,spring-sale,,,,', 'invalid_country', 'country'],
      ['2026-03-01T10:00:00Z,,,,,spring-sale,,,,', 'missing_field', 'external_id'],
      ['2026-03-01 10:00:00,u1,,,,spring-sale,,,,', 'invalid_time', 'sent_at'],
      ['2026-03-01,u1,,,,spring-sale,,,,', 'invalid_time', 'sent_at'],
      [',u1,,,,spring-sale,,,,', 'missing_field', 'sent_at'],
      ['2026-03-01T10:00:00Z,u1,,,,,,,,', 'missing_field', 'campaign'],
      ['2026-03-01T10:00:00Z,u1,,,,spring-sale,999,,,', 'conflicting_campaign', 'campaign_id'],
      ['2026-03-01T10:00:00Z,u1,,,,,abc,,,', 'invalid_number', 'campaign_id'],
      ['2026-03-01T10:00:00Z,u1,,,,spring-sale,,nope,,', 'unknown_link', 'link'],
      ['2026-03-01T10:00:00Z,u1,,,,autumn,,spr1,,', 'conflicting_link', 'link'],
      [`2026-03-01T10:00:00Z,u1,,,,spring-sale,,,${'x'.repeat(33)},`, 'too_long', 'channel'],
      ['2026-03-01T10:00:00Z,u1,,,,spring-sale', 'invalid_csv', undefined],
      // A refused row that spans lines is reported at its first line.
      ['2026-03-01T10:00:00Z,,x@,,,spring-sale,,,"two\nlines",', 'invalid_email', 'email'],
    ];
    const lines = ['sent_at,external_id,email,phone,country,campaign,campaign_id,link,channel,extra'];
    // A good row whose quoted channel spans two lines: the rows after it keep their true line numbers.
    lines.push('2026-03-01T09:00:00Z,u0,,,,spring-sale,,,"sms\nbulk",');
    for (const [row] of rows) lines.push(row);
    const file = await f.csv('bad.csv', lines);
    const run = await f.run(['exposures', file, '--json']);
    expect(run.code).toBe(1);
    const summary = jsonOf<Summary>(run);
    expect(summary).toMatchObject({ rows: rows.length + 1, imported: 1, refused: rows.length });
    expect(summary.errors.map(({ line, code, field }) => ({ line, code, field }))).toEqual(
      rows.map(([, code, field], i) => ({ line: i + 4, code, field })),
    );
    // The unknown column is reported on stderr, after the refused rows.
    expect(run.stderr).toMatch(/warning: column "extra" is not a column of exposures files; ignored\n$/);
  });

  it('lists only the first 20 refused rows on stderr and says how many more', async () => {
    const f = await fixture();
    const bad = Array.from({ length: 25 }, (_, i) => `2026-03-01T10:00:00Z,u${i},nowhere`);
    const file = await f.csv('many.csv', ['sent_at,external_id,campaign', ...bad]);
    const run = await f.run(['exposures', file]);
    expect(run.code).toBe(1);
    const notes = run.stderr.trimEnd().split('\n');
    expect(notes).toHaveLength(21);
    expect(notes[19]).toMatch(/^refused line 21 \(campaign\)/);
    expect(notes[20]).toBe('… and 5 more refused rows (--json lists the first 1,000)');
  });

  it('imports a large file in batches (2,500 rows over 3 transactions)', async () => {
    const f = await fixture();
    const rows = Array.from(
      { length: 2500 },
      (_, i) => `2026-03-01T10:00:00Z,user${i}@example.com,spring-sale,,`,
    );
    const file = await f.csv('big.csv', ['sent_at,email,campaign,link_id,channel', ...rows]);
    const summary = jsonOf<Summary>(await f.run(['exposures', file, '--json']));
    expect(summary).toMatchObject({ rows: 2500, imported: 2500, created: 2500, refused: 0 });
  });
});

describe.concurrent('chatmark import: files it cannot use (exit 2, field = the column)', () => {
  const cases: [name: string, kind: string, lines: string[] | null, code: string, field: string][] = [
    [
      'exposures without sent_at',
      'exposures',
      ['email,campaign', 'a@b.co,spring-sale'],
      'missing_column',
      'sent_at',
    ],
    [
      'exposures without an identity column',
      'exposures',
      ['sent_at,campaign', '2026-03-01T10:00:00Z,spring-sale'],
      'missing_column',
      'external_id',
    ],
    ['exposures without a campaign column', 'exposures', ['sent_at,email'], 'missing_column', 'campaign'],
    ['costs without date', 'costs', ['campaign,spend,currency'], 'missing_column', 'date'],
    ['costs without spend', 'costs', ['campaign,date,currency'], 'missing_column', 'spend'],
    ['costs without currency', 'costs', ['campaign,date,spend_minor'], 'missing_column', 'currency'],
    ['costs without a campaign column', 'costs', ['date,spend,currency'], 'missing_column', 'campaign'],
    ['a column named twice', 'costs', ['campaign,date,spend,Spend,currency'], 'duplicate_column', 'spend'],
    ['an empty file', 'exposures', [''], 'missing_header', 'file'],
    ['a missing file', 'costs', null, 'unreadable_file', 'file'],
  ];
  it.each(cases)('%s', async (_, kind, lines, code, field) => {
    const f = await fixture();
    const file = lines === null ? join(f.dir, 'nope.csv') : await f.csv('file.csv', lines);
    const run = await f.run([kind, file, '--json']);
    expect(run.code).toBe(2);
    expect(jsonOf<ErrorJson>(run).error).toMatchObject({ code, field });
    expect(run.stderr).toMatch(/^error: /);
  });

  it('a directory is not a file', async () => {
    const f = await fixture();
    await mkdir(join(f.dir, 'folder'));
    const run = await f.run(['costs', join(f.dir, 'folder')]);
    expect(run.code).toBe(2);
    expect(run).toMatchObject({ stdout: '', stderr: `error: ${join(f.dir, 'folder')} is not a file\n` });
  });
});

describe.concurrent('chatmark import costs', () => {
  it('converts decimal spend exactly to minor units (19.99 USD → 1999, 1500 JPY → 1500, 1.005 USD refused)', async () => {
    const f = await fixture();
    const file = await f.csv('costs.csv', [
      'campaign,campaign_id,date,spend,spend_minor,currency,impressions,reach',
      'spring-sale,,2026-03-01,19.99,,USD,12000,8000',
      'spring-sale,,2026-03-01,1500,,JPY,,',
      'spring-sale,,2026-03-02,1.005,,USD,,',
      `,${f.otherCampaignId},2026-03-01,,250,eur,,`,
      'spring-sale,,2026-03-03,0.30,30,USD,,',
      'spring-sale,,2026-03-04,1000.5,,JPY,,',
      'spring-sale,,2026-03-05,2.5,,KWD,,',
      'spring-sale,,2026-03-06,-5,,USD,,',
      'spring-sale,,2026-03-07,1.00,99,USD,,',
      'spring-sale,,2026-02-30,1,,USD,,',
      'spring-sale,,2026-03-08,1,,XAU,,',
      'spring-sale,,2026-03-09,1e3,,USD,,',
      'spring-sale,,2026-03-10,1,,USD,1.5,',
      'spring-sale,,2026-03-11,,,USD,,',
    ]);
    const run = await f.run(['costs', file, '--json']);
    expect(run.code).toBe(1);
    const summary = jsonOf<Summary>(run);
    expect(summary).toMatchObject({ rows: 14, imported: 5, created: 5, refused: 9 });
    expect(summary.errors.map(({ line, code, field }) => ({ line, code, field }))).toEqual([
      { line: 4, code: 'invalid_amount', field: 'spend' },
      { line: 7, code: 'invalid_amount', field: 'spend' },
      { line: 9, code: 'invalid_amount', field: 'spend' },
      { line: 10, code: 'conflicting_spend', field: 'spend_minor' },
      { line: 11, code: 'invalid_date', field: 'date' },
      { line: 12, code: 'invalid_currency', field: 'currency' },
      { line: 13, code: 'invalid_amount', field: 'spend' },
      { line: 14, code: 'invalid_number', field: 'impressions' },
      { line: 15, code: 'missing_field', field: 'spend' },
    ]);
    const [spring, autumn] = await f.inspect(({ db }) =>
      Promise.all([
        listCosts(db, f.campaignId, '2026-01-01', '2026-12-31'),
        listCosts(db, f.otherCampaignId, '2026-01-01', '2026-12-31'),
      ]),
    );
    expect(spring).toEqual([
      {
        campaignId: f.campaignId,
        day: '2026-03-01',
        spend: { amount: 1500, currency: 'JPY' },
        impressions: null,
        reach: null,
      },
      {
        campaignId: f.campaignId,
        day: '2026-03-01',
        spend: { amount: 1999, currency: 'USD' },
        impressions: 12000,
        reach: 8000,
      },
      {
        campaignId: f.campaignId,
        day: '2026-03-03',
        spend: { amount: 30, currency: 'USD' },
        impressions: null,
        reach: null,
      },
      {
        campaignId: f.campaignId,
        day: '2026-03-05',
        spend: { amount: 2500, currency: 'KWD' },
        impressions: null,
        reach: null,
      },
    ]);
    expect(autumn).toEqual([
      {
        campaignId: f.otherCampaignId,
        day: '2026-03-01',
        spend: { amount: 250, currency: 'EUR' },
        impressions: null,
        reach: null,
      },
    ]);
  });

  it('re-importing a cost day replaces it', async () => {
    const f = await fixture();
    const first = await f.csv('day.csv', [
      'campaign,date,spend,currency',
      'spring-sale,2026-03-01,19.99,USD',
    ]);
    const run1 = await f.run(['costs', first]);
    expect(run1).toEqual({
      code: 0,
      stdout: `imported 1 cost day (1 new, 0 replaced) from ${first}\n`,
      stderr: '',
    });
    const fixed = await f.csv('fixed.csv', [
      'campaign,date,spend,currency,impressions',
      'spring-sale,2026-03-01,25.00,USD,900',
      'spring-sale,2026-03-02,5,USD,',
    ]);
    const run2 = await f.run(['costs', fixed]);
    expect(run2.stdout).toBe(`imported 2 cost days (1 new, 1 replaced) from ${fixed}\n`);
    const costs = await f.inspect(({ db }) => listCosts(db, f.campaignId, '2026-03-01', '2026-03-31'));
    expect(costs.map((c) => [c.day, c.spend.amount, c.spend.currency, c.impressions])).toEqual([
      ['2026-03-01', 2500, 'USD', 900],
      ['2026-03-02', 500, 'USD', null],
    ]);
  });
});

describe('progress bar', () => {
  it.each([
    [
      { done: 500, total: 1000, elapsedMs: 2000 },
      '[############------------]  50% 500/1,000 rows  250 rows/s',
    ],
    [{ done: 0, total: 10_000, elapsedMs: 0 }, '[------------------------]   0% 0/10,000 rows'],
    [
      { done: 9_998, total: 10_000, elapsedMs: 1_000 },
      '[#######################-]  99% 9,998/10,000 rows  9,998 rows/s',
    ],
    // The total is a line-count estimate: more rows than expected fill the bar, never overflow it.
    [{ done: 12, total: 10, elapsedMs: 3 }, '[########################] 100% 12/12 rows  4,000 rows/s'],
    [{ done: 0, total: 0, elapsedMs: 5 }, '[########################] 100% 0/0 rows  0 rows/s'],
  ])('renderProgress(%j)', (state, line) => {
    expect(renderProgress(state)).toBe(line);
  });

  it('redraws in place at most every 100 ms, then finishes at 100% on its own line', () => {
    let clock = 1_000;
    const written: string[] = [];
    const bar = createProgressBar({ write: (text: string) => written.push(text) }, 300, { now: () => clock });
    bar.update(1);
    clock += 50;
    bar.update(2); // too soon: not drawn
    clock += 50;
    bar.update(100);
    clock += 900;
    bar.finish(250);
    expect(written).toEqual([
      '\r[------------------------]   0% 1/300 rows\x1b[K',
      '\r[########----------------]  33% 100/300 rows  1,000 rows/s\x1b[K',
      '\r[########################] 100% 250/250 rows  250 rows/s\x1b[K',
      '\n',
    ]);
  });

  it('clear() erases a drawn bar and writes nothing when none was drawn', () => {
    const written: string[] = [];
    const bar = createProgressBar({ write: (text: string) => written.push(text) }, 10, { now: () => 0 });
    bar.clear();
    expect(written).toEqual([]);
    bar.update(3);
    bar.clear();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
