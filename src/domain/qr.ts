import type { QRCode as QrSymbol } from 'qrcode';
import QRCode from 'qrcode';
import { ChatmarkError } from './errors.js';

/**
 * QR codes for chat and redirect links (spec/channels.md §8), rendered by node-qrcode. Options are
 * checked here rather than left to the library, which silently ignores a width too small for the
 * symbol and replaces a negative margin with 4.
 */

/** Error-correction level: L ≈ 7%, M ≈ 15%, Q ≈ 25%, H ≈ 30% of the symbol may be damaged (§8). */
export type QrEcc = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  /** M by default (screens and clean print); Q for print that may be scuffed; H only with a logo (§8). */
  ecc?: QrEcc | undefined;
  /** Width (and height) of the image in px. SVG without it scales to its container (viewBox only). */
  size?: number | undefined;
  /** Quiet zone in modules; 4 by default, the minimum §8 recommends. */
  margin?: number | undefined;
}

export interface QrInfo {
  /** QR version, 1–40. */
  version: number;
  /** Modules per side, 17 + 4 × version. */
  modules: number;
}

const ECC_LEVELS: readonly QrEcc[] = ['L', 'M', 'Q', 'H'];
const DEFAULT_MARGIN = 4;
const MAX_MARGIN = 64;
/**
 * Largest size in px. A 2048 px PNG is 16 MiB of RGBA pixels and about half a second of CPU to
 * render and deflate, which bounds what one API request can cost; print should use SVG anyway (§8).
 */
export const QR_MAX_SIZE = 2048;
/** PNG pixels per module when no size is given: a v2 code is then 264 px, above §8's ~150 px for screens. */
const PNG_DEFAULT_SCALE = 8;

/**
 * Version and modules per side of the symbol that encodes `text` at an error-correction level.
 *
 * @example qrInfo('https://wa.me/447911123456') // { version: 2, modules: 25 }
 */
export function qrInfo(text: string, ecc?: QrEcc): QrInfo {
  const code = createSymbol(text, checkEcc(ecc));
  return { version: code.version, modules: code.modules.size };
}

/**
 * The QR code as an SVG document (best for print, §8).
 *
 * @example await qrSvg('https://acme.link/q/K7Q2MX', { size: 300 }) // '<svg … width="300" height="300" …'
 */
export async function qrSvg(text: string, options: QrOptions = {}): Promise<string> {
  const { ecc, margin, size } = checkOptions(text, options);
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ecc, margin, width: size });
}

/**
 * The QR code as a PNG image whose width is exactly `size` px.
 *
 * @example (await qrPng('https://acme.link/q/K7Q2MX', { size: 300 })).subarray(1, 4).toString() === 'PNG'
 */
export async function qrPng(text: string, options: QrOptions = {}): Promise<Buffer> {
  const { ecc, margin, size } = checkOptions(text, options);
  // node-qrcode draws floor(cells × (width / cells)) px, which float rounding makes width − 1 for
  // some widths (51 px over 21 cells gives 50); half a pixel more keeps the floor at `size`.
  return QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: ecc,
    margin,
    ...(size === undefined ? { scale: PNG_DEFAULT_SCALE } : { width: size + 0.5 }),
  });
}

function checkOptions(
  text: string,
  options: QrOptions,
): { ecc: QrEcc; margin: number; size: number | undefined } {
  const ecc = checkEcc(options.ecc);
  const margin = options.margin ?? DEFAULT_MARGIN;
  if (!Number.isInteger(margin) || margin < 0 || margin > MAX_MARGIN) {
    throw new ChatmarkError(
      'invalid_option',
      `margin must be a whole number of modules from 0 to ${MAX_MARGIN}, got ${margin}`,
      'margin',
    );
  }
  const { modules } = qrInfo(text, ecc);
  const size = options.size;
  if (size !== undefined) {
    // At least one pixel per module; below that node-qrcode would ignore the width.
    const minimum = modules + 2 * margin;
    if (!Number.isInteger(size) || size < minimum || size > QR_MAX_SIZE) {
      throw new ChatmarkError(
        'invalid_option',
        `size must be a whole number of pixels from ${minimum} (this code is ${minimum} modules wide with its margin) to ${QR_MAX_SIZE}, got ${size}`,
        'size',
      );
    }
  }
  return { ecc, margin, size };
}

/** Takes what a CLI flag or JSON body holds, so a lower-case `q` is accepted as Q. */
function checkEcc(ecc: unknown): QrEcc {
  if (ecc === undefined) return 'M';
  const level = ECC_LEVELS.find((candidate) => typeof ecc === 'string' && candidate === ecc.toUpperCase());
  if (level === undefined) {
    throw new ChatmarkError(
      'unsupported_option',
      `ecc must be one of L, M, Q or H, got "${String(ecc)}"`,
      'ecc',
    );
  }
  return level;
}

function createSymbol(text: string, ecc: QrEcc): QrSymbol {
  if (typeof text !== 'string' || text === '')
    throw new ChatmarkError('missing_field', 'Text to encode is required', 'text');
  try {
    return QRCode.create(text, { errorCorrectionLevel: ecc });
  } catch (error) {
    // The only failure left once text is non-empty: more data than version 40 holds at this level.
    throw new ChatmarkError(
      'text_too_long',
      `Text is too long for a QR code at error correction ${ecc}: ${(error as Error).message}`,
      'text',
    );
  }
}
