import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import { growthRatio } from '../../test/support/growth.js';
import { grown, hostilePatterns, hostileText } from '../../test/support/hostile.js';
import * as webhooks from './index.js';

/**
 * The webhook parsers against hostile text (issue 10, 5): every string of a real payload replaced
 * by arbitrary Unicode (broken surrogates, controls, token look-alikes), up to 100,000 characters
 * per string. They never throw (the platforms retry errors), and their time grows about linearly
 * with the payload (the time for 8n over the time for n stays under 40).
 */

const PARSERS: ReadonlyArray<{ prefix: string; parse: (body: unknown) => unknown }> = [
  { prefix: 'whatsapp-', parse: webhooks.parseWhatsApp },
  { prefix: 'telegram-', parse: (body) => webhooks.parseTelegram(body, 'acme_bot') },
  { prefix: 'viber-', parse: webhooks.parseViber },
  { prefix: 'messenger-', parse: webhooks.parseMeta },
  { prefix: 'instagram-', parse: webhooks.parseMeta },
  { prefix: 'shopify-', parse: webhooks.parseShopifyOrder },
  { prefix: 'shopify-', parse: webhooks.unpricedShopifyOrder },
];

/** A copy of `value` with every string replaced by `text(original)`. */
function withStrings(value: unknown, text: (original: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => withStrings(item, text));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withStrings(item, text)]));
  }
  return value;
}

describe('fuzz: webhook payloads with hostile strings', () => {
  it.each(PARSERS)('$prefix $parse.name: never throws', ({ prefix, parse }) => {
    const bodies = loadWebhookFixtures(prefix).map((fixture) => fixture.body);
    fc.assert(
      fc.property(fc.constantFrom(...bodies), hostileText(), fc.boolean(), (body, text, prefixed) => {
        // Prefixed keeps what a parser dispatches on (`/start `, `ref `) in front of the hostile text.
        expect(() =>
          parse(withStrings(body, (original) => (prefixed ? original + text : text))),
        ).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it.each(PARSERS)(
    '$prefix $parse.name: time grows linearly with 100,000-character strings',
    ({ prefix, parse }) => {
      const [body] = loadWebhookFixtures(prefix).map((fixture) => fixture.body);
      for (const pattern of hostilePatterns(['/start ', 'ref WFED-BNKX '])) {
        const make = (n: number) =>
          JSON.stringify(withStrings(body, (original) => original + grown(pattern, n)));
        expect(() => parse(JSON.parse(make(100_000)))).not.toThrow();
        const ratio = growthRatio(make, (json) => parse(JSON.parse(json)), 12_500);
        expect(ratio, `pattern ${JSON.stringify(pattern)}`).toBeLessThan(40);
      }
    },
  );

  it('textRef and carriedRef: never throw, linear in the text', () => {
    fc.assert(
      fc.property(fc.array(hostileText(200), { maxLength: 5 }), (texts) => {
        expect(() => webhooks.textRef(texts)).not.toThrow();
        for (const text of texts) expect(() => webhooks.carriedRef(text, 'ref')).not.toThrow();
      }),
    );
    for (const pattern of hostilePatterns(['ref WFED-BNKX '])) {
      expect(
        growthRatio(
          (n) => grown(pattern, n),
          (text) => webhooks.textRef([text]),
          12_500,
        ),
      ).toBeLessThan(40);
    }
  });
});
