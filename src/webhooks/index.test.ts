import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWebhookFixtures } from '../../test/fixtures/webhooks/load.js';
import * as webhooks from './index.js';
import type { ChatStartBatch } from './types.js';

type Parser = (body: unknown) => ChatStartBatch;
/** Beyond JSON on purpose (null prototypes, bigints): the parsers must not trip on what they don't expect. */
const anything = fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true });
const PARSERS: ReadonlyArray<{ prefix: string; parse: Parser }> = [
  { prefix: 'whatsapp-', parse: webhooks.parseWhatsApp },
  { prefix: 'telegram-', parse: (body) => webhooks.parseTelegram(body, 'acme_bot') },
  { prefix: 'viber-', parse: webhooks.parseViber },
  { prefix: 'messenger-', parse: webhooks.parseMeta },
  { prefix: 'instagram-', parse: webhooks.parseMeta },
];

/** Every path to a value inside a JSON document (the root is `[]`). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...prefix, i])));
  if (typeof value === 'object' && value !== null) {
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key])));
  }
  return here;
}

/** A copy of `document` with the value at `path` replaced. */
function replaceAt(document: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(document)) {
    const copy: unknown[] = [...document];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(document as Record<string, unknown>) };
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

function expectBatch(batch: ChatStartBatch): void {
  expect(Array.isArray(batch.starts)).toBe(true);
  expect(Number.isInteger(batch.ignored) && batch.ignored >= 0).toBe(true);
  for (const start of batch.starts) {
    expect(typeof start.deliveryId).toBe('string');
    expect(Number.isFinite(start.occurredAt)).toBe(true);
    expect(typeof start.contact.key).toBe('string');
    expect(start.refSource === null).toBe(start.ref === null);
  }
}

describe('unknown or malformed JSON never throws (platforms retry errors; the route must answer 200)', () => {
  it.each(PARSERS)('$prefix parser: arbitrary values', ({ parse }) => {
    fc.assert(
      fc.property(anything, (body) => {
        expectBatch(parse(body));
      }),
    );
  });

  it.each(PARSERS)('$prefix parser: fixtures with any one value replaced', ({ prefix, parse }) => {
    const bodies = loadWebhookFixtures(prefix).map((f) => f.body);
    const mutated = fc
      .constantFrom(...bodies)
      .chain((body) => fc.tuple(fc.constant(body), fc.constantFrom(...pathsOf(body)), anything));
    fc.assert(
      fc.property(mutated, ([body, path, replacement]) => {
        expectBatch(parse(replaceAt(body, path, replacement)));
      }),
    );
  });

  it('parseShopifyOrder: fixtures with any one value replaced answer an order or null', () => {
    const bodies = loadWebhookFixtures('shopify-').map((f) => f.body);
    const mutated = fc
      .constantFrom(...bodies)
      .chain((body) => fc.tuple(fc.constant(body), fc.constantFrom(...pathsOf(body)), anything));
    fc.assert(
      fc.property(mutated, ([body, path, replacement]) => {
        const order = webhooks.parseShopifyOrder(replaceAt(body, path, replacement));
        if (order !== null) expect(Number.isSafeInteger(order.total.amount)).toBe(true);
      }),
    );
  });

  it('the Viber raw reader takes any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.string(), (bytes, text) => {
        expectBatch(webhooks.parseViber(bytes));
        expectBatch(webhooks.parseViber(text));
      }),
    );
  });
});

describe('index', () => {
  it('exports the adapters the routes need', () => {
    expect(Object.keys(webhooks).sort()).toEqual([
      'carriedRef',
      'currencyExponent',
      'hmacSha256',
      'parseMeta',
      'parseShopifyOrder',
      'parseTelegram',
      'parseViber',
      'parseWhatsApp',
      'readViberJson',
      'secretTokenMatches',
      'stableDeliveryId',
      'textRef',
      'toMinorUnits',
      'unpricedShopifyOrder',
      'verifyHubChallenge',
      'verifyHubSignature',
      'verifyMetaChallenge',
      'verifyShopifyHmac',
      'verifyViberSignature',
      'verifyWhatsAppChallenge',
    ]);
  });
});
