import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/channels.json' with { type: 'json' };
import { BUILDERS, buildLink, CHANNELS, isChannel } from './index.js';
import type { LinkRequest } from './types.js';

describe('buildLink golden vectors (test/golden/channels.json)', () => {
  it('covers every channel', () => {
    expect(new Set(golden.links.map((entry) => entry.channel))).toEqual(new Set(CHANNELS));
  });

  it.each(golden.links)('$channel → $url ($spec)', (entry) => {
    if (!isChannel(entry.channel)) return expect.unreachable(`unknown channel ${entry.channel}`);
    const link = buildLink(entry.channel, entry.request as LinkRequest);
    expect({ url: link.url, appUrl: link.appUrl, carrier: link.carrier, text: link.text }).toEqual({
      url: entry.url,
      appUrl: entry.appUrl,
      carrier: entry.carrier,
      text: entry.text,
    });
    expect(link.channel).toBe(entry.channel);
    expect(link.warnings.every((warning) => typeof warning === 'string' && warning !== '')).toBe(true);
  });
});

describe('isChannel', () => {
  it.each(CHANNELS)('accepts %s', (channel) => {
    expect(isChannel(channel)).toBe(true);
  });

  it.each(['snapchat', 'WhatsApp', '', 'web', 'toString', 42, null, undefined])('refuses %j', (value) => {
    expect(isChannel(value)).toBe(false);
  });
});

describe('BUILDERS', () => {
  it('has exactly one builder per channel', () => {
    expect(Object.keys(BUILDERS).sort()).toEqual([...CHANNELS].sort());
  });
});
