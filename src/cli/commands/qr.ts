import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { ChatmarkError } from '../../domain/errors.js';
import type { QrEcc } from '../../domain/qr.js';
import { qrPng, qrSvg } from '../../domain/qr.js';
import { action, type JsonOption, jsonOption, printResult } from '../output.js';

const ECC_LEVELS: readonly QrEcc[] = ['L', 'M', 'Q', 'H'];

interface QrOptions extends JsonOption {
  out: string;
  ecc?: QrEcc;
  size?: number;
}

/**
 * `chatmark qr <text> --out <file.svg|file.png>`: writes a QR code, format from the extension
 * (SVG for print, PNG for screens; spec/channels.md §8).
 *
 * @example chatmark qr https://wa.me/447911123456 --out flyer.svg --ecc Q
 */
export function registerQrCommand(program: Command): void {
  program
    .command('qr')
    .description('write a QR code for a link to an SVG or PNG file')
    .argument('<text>', 'what the code encodes, usually a link')
    .requiredOption('--out <file>', 'file to write: .svg or .png')
    .addOption(
      new Option('--ecc <level>', 'error correction: M (default) for screens, Q for print, H with a logo')
        .choices(ECC_LEVELS)
        // After choices(), which still lists them in --help: accept lower case too.
        .argParser(eccLevel),
    )
    .addOption(new Option('--size <px>', 'width in pixels').argParser(positiveInteger))
    .addOption(jsonOption())
    .action(
      action(async (text: string, { out, ecc, size, json }: QrOptions) => {
        const format = extname(out).toLowerCase();
        if (format !== '.svg' && format !== '.png') {
          throw new ChatmarkError(
            'unsupported_option',
            `--out must end in .svg or .png, got "${out}"`,
            'out',
          );
        }
        const options = { ecc, size };
        const image = format === '.svg' ? await qrSvg(text, options) : await qrPng(text, options);
        await writeFile(out, image);
        printResult({ path: out, format: format.slice(1) }, out, json === true);
        return 0;
      }),
    );
}

function eccLevel(value: string): QrEcc {
  const level = ECC_LEVELS.find((candidate) => candidate === value.toUpperCase());
  if (level === undefined) throw new InvalidArgumentError(`Allowed choices are ${ECC_LEVELS.join(', ')}.`);
  return level;
}

function positiveInteger(value: string): number {
  const size = /^\d+$/.test(value) ? Number(value) : 0;
  if (size === 0) throw new InvalidArgumentError('It must be a positive integer.');
  return size;
}
