import { describe, expect, it } from 'vitest';
import golden from '../../test/golden/qr-versions.json' with { type: 'json' };
import { ChatmarkError } from './errors.js';
import { QR_MAX_SIZE, type QrEcc, type QrOptions, qrInfo, qrPng, qrSvg } from './qr.js';

const LEVELS: readonly QrEcc[] = ['L', 'M', 'Q', 'H'];
const LINK = 'https://acme.link/q/K7Q2MX'; // v2, 25 modules at M (spec/channels.md §8)
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which the PNG format requires to come first. */
function pngDimensions(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Well-formedness for the subset of XML an SVG renderer emits: only tags (and whitespace) at the
 * top level, every tag closed in order, attributes `name="value"` with no name repeated.
 */
function expectWellFormedSvg(svg: string): Map<string, string> {
  const tags = svg.trim().split(/(?=<)|(?<=>)/);
  const open: string[] = [];
  let rootAttributes = new Map<string, string>();
  for (const piece of tags) {
    if (piece.trim() === '') continue;
    const tag = /^<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(piece);
    expect(tag, `not a well-formed tag: ${piece.slice(0, 40)}`).not.toBeNull();
    const [, closing, name, attributeText, selfClosing] = tag!;
    const attributes = new Map<string, string>();
    for (const [, key, value] of attributeText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      expect(attributes.has(key!), `repeated attribute ${key}`).toBe(false);
      attributes.set(key!, value!);
    }
    if (open.length === 0 && closing === '') {
      expect(name).toBe('svg');
      rootAttributes = attributes;
    }
    if (closing === '/') expect(open.pop()).toBe(name);
    else if (selfClosing !== '/') open.push(name!);
  }
  expect(open).toEqual([]);
  return rootAttributes;
}

async function expectRefused(run: () => unknown, code: string, field: string): Promise<void> {
  try {
    await run();
    expect.unreachable('should have thrown');
  } catch (error) {
    expect(error).toBeInstanceOf(ChatmarkError);
    expect((error as ChatmarkError).code).toBe(code);
    expect((error as ChatmarkError).field).toBe(field);
  }
}

describe('qrInfo (spec/channels.md §8 "Measured versions")', () => {
  it.each(golden.vectors)('$url ($source)', (vector) => {
    expect(vector.url.length).toBe(vector.chars);
    for (const level of LEVELS) {
      expect(qrInfo(vector.url, level), `${level}`).toEqual(vector[level]);
    }
    // node-qrcode's default, and ours, is M (§8).
    expect(qrInfo(vector.url)).toEqual(vector.M);
  });

  it('has modules = 17 + 4 × version', () => {
    for (const vector of golden.vectors) {
      for (const level of LEVELS) expect(vector[level].modules).toBe(17 + 4 * vector[level].version);
    }
  });
});

describe('qrSvg', () => {
  it.each([
    [{}, 25 + 8, undefined],
    [{ size: 300 }, 25 + 8, '300'],
    [{ size: 33, margin: 4 }, 33, '33'],
    [{ size: 1000, margin: 0 }, 25, '1000'],
    [{ size: 512, ecc: 'H' as const, margin: 2 }, 33 + 4, '512'],
    [{ size: QR_MAX_SIZE }, 25 + 8, String(QR_MAX_SIZE)],
  ])('is a well-formed SVG with the requested width: %j', async (options, cells, width) => {
    const svg = await qrSvg(LINK, options);
    const root = expectWellFormedSvg(svg);
    expect(root.get('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.get('viewBox')).toBe(`0 0 ${cells} ${cells}`);
    expect(root.get('width')).toBe(width);
    expect(root.get('height')).toBe(width);
  });

  it('uses error correction M unless told otherwise (spec/channels.md §8)', async () => {
    const [byDefault, atM, atH] = await Promise.all([
      qrSvg(LINK),
      qrSvg(LINK, { ecc: 'M' }),
      qrSvg(LINK, { ecc: 'H' }),
    ]);
    expect(byDefault).toBe(atM);
    expect(atH).not.toBe(atM);
    expect(await qrSvg(LINK, { ecc: 'q' as QrEcc })).toBe(await qrSvg(LINK, { ecc: 'Q' }));
  });
});

describe('qrPng', () => {
  it.each([[{ size: 33 }], [{ size: 150 }], [{ size: 300, ecc: 'Q' as const }], [{ size: 1001, margin: 1 }]])(
    'is a PNG exactly as wide as requested: %j',
    async (options) => {
      const png = await qrPng(LINK, options);
      expect(pngDimensions(png)).toEqual({ width: options.size, height: options.size });
    },
  );

  it('hits every width exactly, including those node-qrcode would round down (51 px over 21 cells)', async () => {
    // "hi" is a version 1 symbol: 21 cells with no margin, the case where float rounding bites.
    expect(qrInfo('hi')).toEqual({ version: 1, modules: 21 });
    for (let size = 21; size <= 160; size += 1) {
      expect(pngDimensions(await qrPng('hi', { size, margin: 0 })).width, `size ${size}`).toBe(size);
    }
  });

  it('draws 8 px per module when no size is given', async () => {
    expect(pngDimensions(await qrPng(LINK)).width).toBe((25 + 2 * 4) * 8);
    expect(pngDimensions(await qrPng(LINK, { margin: 0 })).width).toBe(25 * 8);
  });
});

describe('refused input', () => {
  const tooLong = 'x'.repeat(3000); // above version 40's byte capacity at H (1,273 bytes)
  it.each([
    ['', {}, 'missing_field', 'text'],
    [tooLong, { ecc: 'H' }, 'text_too_long', 'text'],
    [LINK, { ecc: 'X' }, 'unsupported_option', 'ecc'],
    [LINK, { ecc: 'medium' }, 'unsupported_option', 'ecc'],
    [LINK, { size: 0 }, 'invalid_option', 'size'],
    [LINK, { size: -300 }, 'invalid_option', 'size'],
    [LINK, { size: 300.5 }, 'invalid_option', 'size'],
    [LINK, { size: 32 }, 'invalid_option', 'size'],
    [LINK, { size: QR_MAX_SIZE + 1 }, 'invalid_option', 'size'],
    [LINK, { size: Number.NaN }, 'invalid_option', 'size'],
    [LINK, { margin: -1 }, 'invalid_option', 'margin'],
    [LINK, { margin: 1.5 }, 'invalid_option', 'margin'],
    [LINK, { margin: 65 }, 'invalid_option', 'margin'],
  ])('%j with %j → %s on %s', async (text, options, code, field) => {
    const qrOptions = options as QrOptions;
    await expectRefused(() => qrSvg(text, qrOptions), code, field);
    await expectRefused(() => qrPng(text, qrOptions), code, field);
    if (field !== 'size' && field !== 'margin') {
      await expectRefused(() => qrInfo(text, qrOptions.ecc), code, field);
    }
  });
});
