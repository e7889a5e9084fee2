import { ChatmarkError } from './errors.js';
import { personalDataIn } from './personal-data.js';

/**
 * UTM tags and the naming convention (DESIGN.md "How do I make the link?": "UTM tags that follow one
 * naming convention"; "The redirect hot path" step 4). Query strings are edited as text, one
 * `name=value` segment at a time, so every parameter Chatmark does not own keeps its exact bytes:
 * URLSearchParams would re-encode them (`%20` → `+`, `~` → `%7E`) and could break a signed URL.
 */

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type UtmValues = Partial<Record<UtmKey, string>>;

/** The mediums the convention allows unless a campaign brings its own vocabulary. */
export const DEFAULT_MEDIUM_VOCABULARY = [
  'sms',
  'whatsapp',
  'telegram',
  'viber',
  'messenger',
  'instagram',
  'line',
  'signal',
  'email',
  'social',
  'cpc',
  'display',
  'affiliate',
  'qr',
  'referral',
] as const;

export type UtmFindingCode =
  | 'not_normalized'
  | 'missing_parameter'
  | 'unknown_medium'
  | 'duplicate_parameter'
  | 'empty_value'
  | 'personal_data';

export interface UtmFinding {
  code: UtmFindingCode;
  /** The query parameter, e.g. `utm_source`. */
  param: string;
  message: string;
  /** The suggested value; null when there is none (a missing parameter) or the fix is removal. */
  fix: string | null;
}

export interface UtmLintOptions {
  /** Allowed `utm_medium` values; DEFAULT_MEDIUM_VOCABULARY when absent. */
  vocabulary?: readonly string[] | undefined;
}

/** Parameters a campaign cannot be reported without. */
const REQUIRED_KEYS: readonly UtmKey[] = ['source', 'medium', 'campaign'];

/**
 * Sets utm_* values on an http(s) URL. Other parameters and the #fragment keep their bytes; an
 * existing utm_* value is replaced in place (its duplicates dropped) unless `keepExisting`, in
 * which case the URL's own non-empty value wins. Empty or absent values are not set.
 *
 * @example
 * buildUtm('https://shop.example/p?q=a%20b#top', { source: 'whatsapp', medium: 'qr' })
 * // 'https://shop.example/p?q=a%20b&utm_source=whatsapp&utm_medium=qr#top'
 */
export function buildUtm(url: string, values: UtmValues, options: { keepExisting?: boolean } = {}): string {
  return mergeUtm(parseHttpUrl(url), values, options.keepExisting === true);
}

/**
 * Adds a campaign default only where the URL has no value of its own: the destination's own UTM
 * values win (DESIGN.md "The redirect hot path", step 4). Runs once per click, so it skips URL
 * validation (destinations are validated when the link is saved) and allocates only when it adds.
 *
 * @example applyUtmDefaults('https://a.example/?utm_source=ig', { source: 'qr', medium: 'qr' })
 * // 'https://a.example/?utm_source=ig&utm_medium=qr'
 */
export function applyUtmDefaults(url: string, defaults: UtmValues): string {
  return mergeUtm(url, defaults, true);
}

/**
 * The naming convention's form of a value: lower-case ASCII (diacritics stripped through NFKD),
 * words joined by `_`, any other run of spaces or punctuation collapsed to one `_`, no `_` at
 * either end. Letters with no ASCII form (Cyrillic, CJK) are dropped, so the result may be ''.
 *
 * @example normalizeUtmValue('  Promoção de Verão!! ') === 'promocao_de_verao'
 */
export function normalizeUtmValue(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (letter) => TRANSLITERATIONS[letter] ?? '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Findings for one value of one UTM parameter: `empty_value`, `personal_data`, `not_normalized` and,
 * for `medium`, `unknown_medium`. Reused to validate a campaign slug (`lintUtmValue('campaign', slug)`).
 *
 * @example lintUtmValue('medium', 'Whats App')[1] // { code: 'unknown_medium', fix: 'whatsapp', … }
 */
export function lintUtmValue(param: UtmKey, value: string, options: UtmLintOptions = {}): UtmFinding[] {
  const name = `utm_${param}`;
  if (value.trim() === '') {
    return [finding('empty_value', name, `${name} is empty; remove it or give it a value`, null)];
  }
  const personal = personalDataIn(value);
  if (personal !== null) {
    return [finding('personal_data', name, `${name} contains ${personal}; remove the parameter`, null)];
  }
  const vocabulary = options.vocabulary ?? DEFAULT_MEDIUM_VOCABULARY;
  const normalized = normalizeUtmValue(value);
  const findings: UtmFinding[] = [];
  if (normalized !== value) {
    const fix = normalized === '' ? null : conventionalValue(param, value, vocabulary);
    const advice = fix === null ? 'rename it with ASCII letters and digits' : `use "${fix}"`;
    findings.push(
      finding(
        'not_normalized',
        name,
        `${name} "${value}" is not lower-case ASCII words joined by "_" (${describeProblems(value)}); ${advice}`,
        fix,
      ),
    );
  }
  if (param === 'medium' && normalized !== '' && !vocabulary.includes(normalized)) {
    const suggestion = nearestWord(normalized, vocabulary);
    const advice =
      suggestion === null ? `use one of: ${vocabulary.join(', ')}` : `did you mean "${suggestion}"?`;
    findings.push(
      finding(
        'unknown_medium',
        name,
        `utm_medium "${value}" is not in the medium vocabulary; ${advice}`,
        suggestion,
      ),
    );
  }
  return findings;
}

/**
 * Lints a URL's UTM parameters against the naming convention: `missing_parameter` (source, medium,
 * campaign), `duplicate_parameter`, `empty_value`, `personal_data`, `not_normalized`,
 * `unknown_medium`. Invalid URL → ChatmarkError `invalid_url` (field `url`).
 *
 * @example lintUtm('https://a.example/?utm_source=WhatsApp&utm_medium=e-mail&utm_campaign=x')
 * // [{ code: 'not_normalized', param: 'utm_source', fix: 'whatsapp', … },
 * //  { code: 'not_normalized', param: 'utm_medium', fix: 'email', … },
 * //  { code: 'unknown_medium', param: 'utm_medium', fix: 'email', … }]
 */
export function lintUtm(url: string, options: UtmLintOptions = {}): UtmFinding[] {
  const vocabulary = options.vocabulary ?? DEFAULT_MEDIUM_VOCABULARY;
  const findings: UtmFinding[] = [];
  const groups = utmGroups(splitUrl(parseHttpUrl(url)).segments);
  for (const [name, occurrences] of groups) {
    const key = utmKeyOf(name);
    if (occurrences.length > 1) {
      const kept = occurrences.find(isUsable);
      const fix =
        kept === undefined
          ? null
          : key === undefined
            ? kept.value
            : conventionalValue(key, kept.value, vocabulary);
      const advice = fix === null ? 'remove them' : `keep one, "${fix}"`;
      findings.push(
        finding('duplicate_parameter', name, `${name} appears ${occurrences.length} times; ${advice}`, fix),
      );
    }
    for (const { value, personal } of occurrences) {
      if (value.trim() === '') {
        findings.push(finding('empty_value', name, `${name} is empty; remove it or give it a value`, null));
      } else if (personal !== null) {
        findings.push(
          finding('personal_data', name, `${name} contains ${personal}; remove the parameter`, null),
        );
      } else if (key !== undefined) {
        findings.push(...lintUtmValue(key, value, { vocabulary }));
      }
    }
  }
  for (const key of REQUIRED_KEYS) {
    const name = `utm_${key}`;
    if (!groups.get(name)?.some(isUsable)) {
      findings.push(
        finding('missing_parameter', name, `${name} is missing; every campaign link needs one`, null),
      );
    }
  }
  return findings;
}

/**
 * Whether fixUtm acts on a finding. Removals (duplicates, empty values, personal data) always do;
 * value changes do when there is a suggestion; a missing parameter needs a person.
 *
 * @example isFixableUtmFinding({ code: 'empty_value', param: 'utm_term', message: '', fix: null }) === true
 */
export function isFixableUtmFinding(finding: UtmFinding): boolean {
  switch (finding.code) {
    case 'duplicate_parameter':
    case 'empty_value':
    case 'personal_data':
      return true;
    case 'not_normalized':
    case 'unknown_medium':
      return finding.fix !== null;
    case 'missing_parameter':
      return false;
  }
}

/**
 * Applies every fixable lint finding: per utm_* parameter it keeps the first non-empty value without
 * personal data, drops the rest (duplicates, empty values, personal data), normalises the kept value
 * and maps an unknown medium to its suggestion. Other parameters and the fragment keep their bytes.
 *
 * @example fixUtm('https://a.example/?utm_source=Insta%20Gram&utm_source=x&utm_term=&id=7#f')
 * // 'https://a.example/?utm_source=insta_gram&id=7#f'
 */
export function fixUtm(url: string, options: UtmLintOptions = {}): string {
  const vocabulary = options.vocabulary ?? DEFAULT_MEDIUM_VOCABULARY;
  const valid = parseHttpUrl(url);
  const parts = splitUrl(valid);
  const output: (string | null)[] = parts.segments.map((segment) => segment.raw);
  let changed = false;
  for (const [name, occurrences] of utmGroups(parts.segments)) {
    const kept = occurrences.find(isUsable);
    for (const occurrence of occurrences) {
      if (occurrence !== kept) {
        output[occurrence.index] = null;
        changed = true;
      }
    }
    const key = utmKeyOf(name);
    if (kept === undefined || key === undefined) continue;
    const value = conventionalValue(key, kept.value, vocabulary);
    if (value !== kept.value) {
      output[kept.index] = `${name}=${encodeUtmValue(value)}`;
      changed = true;
    }
  }
  if (!changed) return valid;
  return joinUrl(
    parts.head,
    output.filter((segment): segment is string => segment !== null),
    parts.fragment,
  );
}

// --- query strings as text -------------------------------------------------------------------

interface Segment {
  /** The segment's bytes, `name=value`, exactly as in the URL. */
  raw: string;
  name: string;
  /** Form-decoded, as analytics tools read it (`+` is a space). */
  value: string;
  /** Personal data in the value, read both with `+` as a space and as a literal `+` (`+44…`). */
  personal: string | null;
  index: number;
}

interface SplitUrl {
  /** Everything before `?` (or before `#` when there is no query). */
  head: string;
  segments: Segment[];
  /** `#…` or ''. */
  fragment: string;
}

function parseHttpUrl(url: string): string {
  const trimmed = url.trim();
  let protocol: string;
  try {
    protocol = new URL(trimmed).protocol;
  } catch {
    throw new ChatmarkError('invalid_url', `"${url}" is not a valid URL`, 'url');
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ChatmarkError('invalid_url', `"${url}" is not an http(s) URL`, 'url');
  }
  return trimmed;
}

function splitUrl(url: string): SplitUrl {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const question = beforeHash.indexOf('?');
  if (question < 0) return { head: beforeHash, segments: [], fragment };
  const query = beforeHash.slice(question + 1);
  const segments = query === '' ? [] : query.split('&').map(parseSegment);
  return { head: beforeHash.slice(0, question), segments, fragment };
}

function parseSegment(raw: string, index: number): Segment {
  const equals = raw.indexOf('=');
  const name = equals < 0 ? raw : raw.slice(0, equals);
  const rawValue = equals < 0 ? '' : raw.slice(equals + 1);
  const value = decodeComponent(rawValue, true);
  const personal =
    personalDataIn(value) ??
    (rawValue.includes('+') ? personalDataIn(decodeComponent(rawValue, false)) : null);
  return { raw, name: decodeComponent(name, true), value, personal, index };
}

/** Percent-decoding, with `+` as a space when `form`; malformed escapes stay as written. */
function decodeComponent(text: string, form: boolean): string {
  if (!text.includes('%') && !(form && text.includes('+'))) return text;
  const spaced = form ? text.replaceAll('+', ' ') : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function joinUrl(head: string, segments: readonly string[], fragment: string): string {
  return segments.length === 0 ? head + fragment : `${head}?${segments.join('&')}${fragment}`;
}

function mergeUtm(url: string, values: UtmValues, keepExisting: boolean): string {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  // Hot-path shortcut: a query with no `utm_` (and no escape that could spell one) has nothing to
  // keep or replace, so the values are appended without parsing it.
  const query = question < 0 ? '' : beforeHash.slice(question + 1);
  if (!query.includes('utm_') && !query.includes('%')) {
    const added = UTM_KEYS.flatMap((key) => {
      const value = values[key];
      return value === undefined || value === '' ? [] : [`utm_${key}=${encodeUtmValue(value)}`];
    });
    if (added.length === 0) return url;
    const separator = question < 0 ? '?' : query === '' || query.endsWith('&') ? '' : '&';
    return beforeHash + separator + added.join('&') + (hash < 0 ? '' : url.slice(hash));
  }

  const parts = splitUrl(url);
  const output: (string | null)[] = parts.segments.map((segment) => segment.raw);
  const added: string[] = [];
  let changed = false;
  for (const key of UTM_KEYS) {
    const value = values[key];
    if (value === undefined || value === '') continue;
    const name = `utm_${key}`;
    const existing = parts.segments.filter((segment) => segment.name === name);
    const setTo = `${name}=${encodeUtmValue(value)}`;
    if (existing.length === 0) {
      added.push(setTo);
      changed = true;
    } else if (!keepExisting || existing.every((segment) => segment.value === '')) {
      // Replace in place so the parameter keeps its position; its duplicates go.
      for (const [i, segment] of existing.entries()) output[segment.index] = i === 0 ? setTo : null;
      changed = true;
    }
  }
  if (!changed) return url;
  const kept = output.filter((segment): segment is string => segment !== null);
  // A trailing `&` (`?a=1&`) would otherwise leave `&&` before the added parameters.
  while (added.length > 0 && kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return joinUrl(parts.head, [...kept, ...added], parts.fragment);
}

/** Percent-encodes a value; a lone surrogate (which would make encodeURIComponent throw) becomes U+FFFD. */
function encodeUtmValue(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}

function utmGroups(segments: readonly Segment[]): Map<string, Segment[]> {
  const groups = new Map<string, Segment[]>();
  for (const segment of segments) {
    if (!segment.name.startsWith('utm_')) continue;
    const group = groups.get(segment.name);
    if (group === undefined) groups.set(segment.name, [segment]);
    else group.push(segment);
  }
  return groups;
}

function utmKeyOf(name: string): UtmKey | undefined {
  return UTM_KEYS.find((key) => name === `utm_${key}`);
}

// --- values ------------------------------------------------------------------------------------

/** Letters NFKD leaves alone but that have a usual ASCII spelling. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

function finding(code: UtmFindingCode, param: string, message: string, fix: string | null): UtmFinding {
  return { code, param, message, fix };
}

/** An occurrence fixUtm keeps: not blank and free of personal data. */
function isUsable(segment: Segment): boolean {
  return segment.value.trim() !== '' && segment.personal === null;
}

/**
 * What fixUtm writes for a kept value: the normalised form and, for a medium outside the
 * vocabulary, its nearest vocabulary word. A value with nothing left after normalising stays.
 */
function conventionalValue(key: UtmKey, value: string, vocabulary: readonly string[]): string {
  const normalized = normalizeUtmValue(value);
  if (normalized === '') return value;
  if (key !== 'medium' || vocabulary.includes(normalized)) return normalized;
  return nearestWord(normalized, vocabulary) ?? normalized;
}

function describeProblems(value: string): string {
  const problems: string[] = [];
  if (/\p{Lu}/u.test(value)) problems.push('upper case');
  if (/[^\x20-\x7e]/.test(value)) problems.push('non-ASCII characters');
  if (/\s/.test(value)) problems.push('spaces');
  if (/[^\p{L}\p{N}\s_]/u.test(value)) problems.push('punctuation');
  if (/^_|_$|__/.test(value)) problems.push('stray "_"');
  return problems.join(', ');
}

/**
 * The vocabulary word a medium most likely meant: the same word once `_` is ignored (`whats_app`,
 * `e_mail`), else the single nearest word within 1 edit (2 for words of 6+ letters), counting an
 * adjacent transposition as one edit. Null when nothing is close or two words are equally close.
 */
function nearestWord(normalized: string, vocabulary: readonly string[]): string | null {
  const squashed = normalized.replaceAll('_', '');
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const word of vocabulary) {
    const candidate = word.replaceAll('_', '');
    if (candidate === squashed) return word;
    const shorter = Math.min(candidate.length, squashed.length);
    if (shorter < 3) continue;
    const limit = shorter >= 6 ? 2 : 1;
    // The distance is at least the difference in length: a long value needs no table to be far.
    if (Math.abs(candidate.length - squashed.length) > limit) continue;
    const distance = editDistance(squashed, candidate);
    if (distance > limit) continue;
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  return tie ? null : best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
