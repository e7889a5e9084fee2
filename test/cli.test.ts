import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../src/domain/channels/types.js';
import { ERROR_CATALOGUE } from '../src/domain/error-codes.js';
import golden from './golden/cli-links.json' with { type: 'json' };
import { jsonOf, runCli } from './support/run-cli.js';

// The real bin (`node bin/chatmark.js`, which runs dist/): `npm test` builds first. Every run is its
// own process, so independent runs go concurrently.

interface LinkJson {
  channel: string;
  url: string;
  appUrl: string | null;
  carrier: string;
  text: string | null;
  warnings: string[];
}
interface ErrorJson {
  error: { code: string; message: string; field?: string };
}
interface UtmJson {
  url: string;
  findings: { code: string; param: string; message: string; fix: string | null }[];
  remaining?: unknown[];
}

/** A valid ref token (test/golden/ref-tokens.json, codec vector 0) in its printed form. */
const TOKEN = 'WFED-BNKX';

describe.concurrent('chatmark link', () => {
  it.each(golden.links)('$channel $args → $url ($spec)', async ({ channel, args, url, carrier }) => {
    const run = await runCli(['link', channel, ...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const link = jsonOf<LinkJson>(run);
    expect(link).toMatchObject({ channel, url, carrier });
    expect(Object.keys(link).sort()).toEqual(['appUrl', 'carrier', 'channel', 'text', 'url', 'warnings']);
    expect(Array.isArray(link.warnings)).toBe(true);
  });

  it('prints the url first, then app url, carrier and text for a person; warnings on stderr', async () => {
    const run = await runCli([
      'link',
      'whatsapp',
      '--phone',
      '+447911123456',
      '--text',
      'Hi!',
      '--ref',
      TOKEN,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `https://wa.me/447911123456?text=Hi!%20(ref%20${TOKEN})`,
        `app: whatsapp://send?phone=447911123456&text=Hi!%20(ref%20${TOKEN})`,
        'carrier: text',
        `text: Hi! (ref ${TOKEN})`,
        '',
      ].join('\n'),
    );
    // spec/channels.md §1.5.1: wa.me has no hidden parameter, the person can delete the token.
    expect(run.stderr).toMatch(/^warning: .*visible/m);
  });

  it('whatsapp --ref travels visibly in the text (spec/channels.md §0, §1.5.1)', async () => {
    const link = jsonOf<LinkJson>(
      await runCli([
        'link',
        'whatsapp',
        '--phone',
        '+447911123456',
        '--text',
        'Hi!',
        '--ref',
        TOKEN,
        '--json',
      ]),
    );
    expect(link.carrier).toBe('text');
    expect(link.text).toBe(`Hi! (ref ${TOKEN})`);
    expect(link.warnings.length).toBeGreaterThan(0);
  });

  it('telegram by phone and share link (spec/channels.md §2.1)', async () => {
    const [byPhone, share] = await Promise.all([
      runCli(['link', 'telegram', '--phone', '+447911123456', '--text', 'Hi', '--json']),
      runCli(['link', 'telegram', '--share-url', 'https://acme.example/offer', '--text', 'Look', '--json']),
    ]);
    expect(jsonOf<LinkJson>(byPhone).url).toBe('https://t.me/+447911123456?text=Hi');
    expect(jsonOf<LinkJson>(share).url).toBe(
      'https://t.me/share/url?url=https%3A%2F%2Facme.example%2Foffer&text=Look',
    );
  });

  it('sms picks the body syntax per --platform (spec/channels.md §6.3)', async () => {
    const ios = jsonOf<LinkJson>(
      await runCli(['link', 'sms', '--phone', '+15105550101', '--text', 'hi', '--platform', 'ios', '--json']),
    );
    expect(ios.url).toBe('sms:+15105550101&body=hi');
  });

  const refused: [string, string[], string, string | undefined][] = [
    [
      'an impossible phone',
      ['link', 'whatsapp', '--phone', '123', '--country', 'US'],
      'invalid_phone',
      'phone',
    ],
    [
      'an unknown country',
      ['link', 'signal', '--phone', '415 555 2671', '--country', 'XX'],
      'invalid_country',
      'country',
    ],
    [
      'two telegram targets',
      ['link', 'telegram', '--username', 'acme_bot', '--phone', '+447911123456'],
      'conflicting_options',
      'phone',
    ],
    ['no telegram target', ['link', 'telegram', '--text', 'Hi'], 'missing_field', 'username'],
    ['an unknown option', ['link', 'whatsapp', '--phone', '+447911123456', '--bogus'], 'usage', 'bogus'],
    [
      'an option another channel takes',
      ['link', 'signal', '--phone', '+447911123456', '--text', 'Hi'],
      'usage',
      'text',
    ],
    ['a missing required option', ['link', 'messenger', '--ref', TOKEN], 'usage', 'page'],
    [
      'a bad --platform choice',
      ['link', 'sms', '--phone', '+15105550101', '--platform', 'windows'],
      'usage',
      'platform',
    ],
    ['an option without its value', ['link', 'email', '--to'], 'usage', 'to'],
    ['an unknown channel', ['link', 'fax', '--phone', '+15105550101'], 'usage', undefined],
  ];
  it.each(refused)(
    'refuses %s: exit 2, message on stderr, error JSON on stdout',
    async (_, args, code, field) => {
      // --json goes right after the command path: after `--to` it would be taken as its value.
      const [text, json] = await Promise.all([
        runCli(args),
        runCli([...args.slice(0, 2), '--json', ...args.slice(2)]),
      ]);
      expect(text.code).toBe(2);
      expect(text.stdout).toBe('');
      expect(text.stderr).toMatch(/^error: \S/m);
      expect(json.code).toBe(2);
      const { error } = jsonOf<ErrorJson>(json);
      expect(error.code).toBe(code);
      expect(error.field).toBe(field);
      expect(json.stderr).toContain(error.message);
    },
  );

  it('no channel: exit 2 after the list of channels on stderr', async () => {
    const run = await runCli(['link']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ {2}whatsapp\b/m);
    expect(run.stderr).toMatch(/^error: a command is required/m);
  });

  it('invalid phone says why (spec/channels.md §7)', async () => {
    const run = await runCli(['link', 'whatsapp', '--phone', '123', '--country', 'US']);
    expect(run.stderr).toBe('error: "123" is not a possible phone number for US\n');
  });
});

describe.concurrent('chatmark ref', () => {
  it('ref new prints a token that ref parse finds again', async () => {
    const made = await runCli(['ref', 'new', '--json']);
    expect(made.code).toBe(0);
    const { token } = jsonOf<{ token: string }>(made);
    expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const parsed = await runCli([
      'ref',
      'parse',
      `Hi! I'd like the spring offer (ref ${token.toLowerCase()})`,
      '--json',
    ]);
    expect(parsed.code).toBe(0);
    expect(jsonOf(parsed)).toEqual({ token });
  });

  it('ref new without --json prints just the token', async () => {
    const run = await runCli(['ref', 'new']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}\n$/);
  });

  it('ref parse takes an unquoted message and prints the printed form', async () => {
    const run = await runCli(['ref', 'parse', 'Hi,', 'ref', 'wfed-bnkx', 'thanks']);
    expect(run).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
  });

  it('ref parse with no token: {"token": null} and exit 1', async () => {
    const [json, text] = await Promise.all([
      runCli(['ref', 'parse', 'Hello, is this still available?', '--json']),
      runCli(['ref', 'parse', 'Hello, is this still available?']),
    ]);
    expect(json.code).toBe(1);
    expect(jsonOf(json)).toEqual({ token: null });
    expect(text).toEqual({ code: 1, stdout: '', stderr: 'no ref token found\n' });
  });

  it('ref parse without a message is a usage error', async () => {
    const run = await runCli(['ref', 'parse', '--json']);
    expect(run.code).toBe(2);
    expect(jsonOf<ErrorJson>(run).error).toMatchObject({ code: 'usage', field: 'message' });
  });
});

describe.concurrent('chatmark utm', () => {
  it('build adds the values and reports the built URL clean: exit 0', async () => {
    const run = await runCli([
      'utm',
      'build',
      'https://acme.example/offer',
      '--source',
      'instagram',
      '--medium',
      'social',
      '--campaign',
      'spring_sale',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = jsonOf<UtmJson>(run);
    const url = new URL(result.url);
    expect(url.origin + url.pathname).toBe('https://acme.example/offer');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      utm_source: 'instagram',
      utm_medium: 'social',
      utm_campaign: 'spring_sale',
    });
    expect(result.findings).toEqual([]);
  });

  it('build without --json prints the URL first', async () => {
    const run = await runCli(['utm', 'build', 'https://acme.example/', '--source', 'instagram']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^https:\/\/acme\.example\/\?.*utm_source=instagram/);
  });

  it('lint: a clean URL exits 0, a URL with problems exits 1 and lists them', async () => {
    const clean = 'https://acme.example/?utm_source=instagram&utm_medium=social&utm_campaign=spring_sale';
    const messy = 'https://acme.example/?utm_source=Instagram&utm_medium=social&utm_campaign=Spring%20Sale';
    const [ok, bad, badText] = await Promise.all([
      runCli(['utm', 'lint', clean, '--json']),
      runCli(['utm', 'lint', messy, '--json']),
      runCli(['utm', 'lint', messy]),
    ]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(jsonOf(ok)).toEqual({ url: clean, findings: [] });
    expect(bad.code).toBe(1);
    const result = jsonOf<UtmJson>(bad);
    expect(result.url).toBe(messy);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.map((finding) => finding.param)).toContain('utm_source');
    expect(badText.code).toBe(1);
    expect(badText.stdout).toContain('utm_source');
  });

  it('lint --fix prints the fixed URL and exits 0 when nothing is left', async () => {
    const messy = 'https://acme.example/?utm_source=Instagram&utm_medium=social&utm_campaign=spring_sale';
    const [json, text] = await Promise.all([
      runCli(['utm', 'lint', messy, '--fix', '--json']),
      runCli(['utm', 'lint', messy, '--fix']),
    ]);
    expect(json.code, json.stdout).toBe(0);
    const result = jsonOf<UtmJson>(json);
    expect(new URL(result.url).searchParams.get('utm_source')).toBe('instagram');
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.remaining).toEqual([]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(result.url);
  });

  it('utm build without a URL is a usage error on field url', async () => {
    const run = await runCli(['utm', 'build', '--json']);
    expect(run.code).toBe(2);
    expect(jsonOf<ErrorJson>(run).error).toMatchObject({ code: 'usage', field: 'url' });
  });
});

describe.concurrent('chatmark qr', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chatmark-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an SVG and prints its path', async () => {
    const out = join(dir, 'flyer.svg');
    const run = await runCli(['qr', 'https://wa.me/447911123456', '--out', out, '--ecc', 'q']);
    expect(run).toEqual({ code: 0, stdout: `${out}\n`, stderr: '' });
    const svg = await readFile(out, 'utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*\?>\s*)?<svg[\s>]/);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.trimEnd()).toMatch(/<\/svg>$/);
  });

  it('writes a PNG of the asked width', async () => {
    const out = join(dir, 'screen.PNG');
    const run = await runCli([
      'qr',
      'https://m.me/acmestore?ref=spring26',
      '--out',
      out,
      '--size',
      '300',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonOf(run)).toEqual({ path: out, format: 'png' });
    const png = await readFile(out);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR is the first chunk: width is the big-endian uint32 at byte 16.
    expect(png.readUInt32BE(16)).toBe(300);
  });

  const refused: [string, string[], string, string][] = [
    ['an unsupported extension', ['--out', 'code.gif'], 'unsupported_option', 'out'],
    ['--size 0', ['--out', 'code.svg', '--size', '0'], 'usage', 'size'],
    ['--size 12.5', ['--out', 'code.svg', '--size', '12.5'], 'usage', 'size'],
    ['a --size below one pixel per module', ['--out', 'code.png', '--size', '10'], 'invalid_option', 'size'],
    ['a bad --ecc', ['--out', 'code.svg', '--ecc', 'X'], 'usage', 'ecc'],
    ['no --out', [], 'usage', 'out'],
  ];
  it.each(refused)('refuses %s with exit 2', async (_, args, code, field) => {
    // Into the temp dir, should a refusal ever regress into a write.
    const inDir = args.map((arg) => (arg.startsWith('code.') ? join(dir, arg) : arg));
    const run = await runCli(['qr', 'https://wa.me/447911123456', ...inDir, '--json']);
    expect(run.code).toBe(2);
    expect(jsonOf<ErrorJson>(run).error).toMatchObject({ code, field });
  });

  it('an unexpected failure exits 1 with the message and no stack (CHATMARK_DEBUG shows it)', async () => {
    const out = join(dir, 'missing-dir', 'code.svg');
    const args = ['qr', 'https://wa.me/447911123456', '--out', out];
    const [plain, debug, json] = await Promise.all([
      runCli(args, { env: { CHATMARK_DEBUG: '' } }),
      runCli(args, { env: { CHATMARK_DEBUG: '1' } }),
      runCli([...args, '--json'], { env: { CHATMARK_DEBUG: '' } }),
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: ENOENT/);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
    expect(json.code).toBe(1);
    expect(jsonOf<ErrorJson>(json).error).toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/^ENOENT/),
    });
  });
});

describe.concurrent('exit codes come from the error catalogue', () => {
  it('refused input exits 2: the catalogue says so for invalid_phone', async () => {
    const run = await runCli(['link', 'whatsapp', '--json', '--phone', '12']);
    expect(jsonOf<ErrorJson>(run).error).toMatchObject({ code: 'invalid_phone', field: 'phone' });
    expect(ERROR_CATALOGUE.invalid_phone.exit).toBe(2);
    expect(run.code).toBe(ERROR_CATALOGUE.invalid_phone.exit);
  });

  it('a database that cannot be reached exits 75 (store_unavailable: try again), naming the address', async () => {
    // Port 1 refuses at once: nothing listens there.
    const env = {
      DATABASE_URL: 'postgres://chatmark@127.0.0.1:1/chatmark',
      CHATMARK_SECRET_KEY: 'exit-code-test-secret-key-0123456789abcdef',
    };
    const [json, text] = await Promise.all([
      runCli(['keys', 'list', '--json'], { env }),
      runCli(['keys', 'list'], { env }),
    ]);
    expect(ERROR_CATALOGUE.store_unavailable.exit).toBe(75);
    expect(json.code).toBe(ERROR_CATALOGUE.store_unavailable.exit);
    expect(jsonOf<ErrorJson>(json).error).toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining('127.0.0.1:1'),
    });
    expect(text.code).toBe(75);
    expect(text.stderr).toMatch(/^error: .*127\.0\.0\.1:1/m);
    expect(text.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.concurrent('chatmark --help', () => {
  it('lists the commands with their descriptions', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['link', 'ref', 'utm', 'qr'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b.* \\w`, 'm'));
  });

  it.each([[['link', '--help']], [['help', 'link']]])('%j lists every channel, exit 0', async (args) => {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    // One line per channel: name, then its description (spec/channels.md §9 lists the nine).
    for (const channel of CHANNELS)
      expect(run.stdout).toMatch(new RegExp(`^  ${channel} \\[options\\] +\\w.*$`, 'm'));
  });

  it('an unknown command exits 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });
});
