import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.js';
import { ChatmarkError } from '../domain/errors.js';

/**
 * Where the secret key of the identity hashes comes from. It never lives in the database it
 * protects: a copy of the database alone must not let anyone test phone numbers against it.
 */
export type SecretKeySource =
  { readonly kind: 'configured'; readonly key: string } | { readonly kind: 'file'; readonly path: string };

export const SECRET_KEY_FILE = 'secret.key';

/** The shortest key accepted in the key file (what `openssl rand -base64 32` gives is 44). */
const MIN_LENGTH = 32;

/**
 * `CHATMARK_SECRET_KEY` when set; on SQLite otherwise `DATA_DIR/secret.key`. Several servers on
 * one PostgreSQL must hash alike, and no file is shared between them, so there the variable is
 * required: the start fails here, before the store is opened.
 */
export function secretKeySource(config: Config): SecretKeySource {
  if (config.secretKey !== undefined) return { kind: 'configured', key: config.secretKey };
  if (config.store.kind === 'postgres') {
    throw new ChatmarkError(
      'invalid_config',
      'CHATMARK_SECRET_KEY is required with PostgreSQL (DATABASE_URL): every server must hash email addresses and phone numbers with the same key, kept outside the database. Make one with `openssl rand -base64 32` and give every server the same value.',
      'CHATMARK_SECRET_KEY',
    );
  }
  return { kind: 'file', path: join(config.dataDir, SECRET_KEY_FILE) };
}

/** The key in the key file, or undefined when there is no file yet. */
export function readSecretKeyFile(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // An older copy restored with looser modes: the key is the owner's only, like the database.
  chmodSync(path, 0o600);
  const key = text.trim();
  if (key.length < MIN_LENGTH) {
    throw new ChatmarkError(
      'invalid_config',
      `${path} does not hold a key (at least ${MIN_LENGTH} characters); restore it from a backup, or set CHATMARK_SECRET_KEY`,
      'CHATMARK_SECRET_KEY',
    );
  }
  return key;
}

/**
 * Makes the key file (0600, its directory 0700) with a new random key, once: the file appears
 * whole or not at all (written aside, then hard-linked into place, which fails when it exists),
 * so a second process starting at the same moment reads the first one's key instead.
 */
export function createSecretKeyFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('base64url');
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = openSync(aside, 'wx', 0o600);
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
    // The new name durable too: losing the key after a crash would lose every contact's match.
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecretKeyFile(path) as string;
  } finally {
    unlinkSync(aside);
  }
}
