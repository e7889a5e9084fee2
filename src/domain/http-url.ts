import { ChatmarkError } from './errors.js';

/**
 * C0 controls, DEL and C1 controls. The URL parser drops tabs and line breaks without a word, so
 * a URL that has them is refused rather than silently changed into another one.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The stored form of an http(s) URL a person gives: its WHATWG serialisation (`new URL(x).href`),
 * which is ASCII (the host in punycode, everything else percent-encoded) and so always fits a
 * `Location` header. Control characters, broken Unicode and other schemes are refused with
 * `invalid_url` on `field`.
 *
 * @example serializeHttpUrl('https://shop.example/товары') === 'https://shop.example/%D1%82%D0%BE%D0%B2%D0%B0%D1%80%D1%8B'
 */
export function serializeHttpUrl(input: string, field = 'url'): string {
  if (CONTROL.test(input)) {
    throw new ChatmarkError(
      'invalid_url',
      'A URL cannot contain control characters (tabs, line breaks)',
      field,
    );
  }
  if (!input.isWellFormed()) {
    throw new ChatmarkError(
      'invalid_unicode',
      'The URL is not well-formed Unicode (a lone surrogate)',
      field,
    );
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ChatmarkError('invalid_url', 'Not a valid URL', field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ChatmarkError('invalid_url', 'Only http(s) URLs are allowed', field);
  }
  return url.href;
}

/**
 * The ASCII form of a URL stored before URLs were serialised on the way in (rows may hold raw
 * non-ASCII text or line breaks): what a browser would request for it. Throws ChatmarkError
 * `invalid_url` when even that is not a URL, so one bad row fails its own request only.
 *
 * @example asciiUrl('https://shop.example/товары') === 'https://shop.example/%D1%82%D0%BE%D0%B2%D0%B0%D1%80%D1%8B'
 */
export function asciiUrl(stored: string): string {
  try {
    return new URL(stored.toWellFormed()).href;
  } catch {
    throw new ChatmarkError('invalid_url', 'The stored URL is not a valid URL', 'url');
  }
}
