import { describe, expect, it } from 'vitest';
import { buildInstagram } from './instagram.js';

const MOBILE_ONLY = 'ig.me links work only in the Instagram mobile apps, not on Instagram Web or desktop';

describe('buildInstagram (spec/channels.md §5)', () => {
  it('emits /m/ and warns that ig.me is mobile only', () => {
    expect(buildInstagram({ username: 'acme.store_1' })).toEqual({
      channel: 'instagram',
      url: 'https://ig.me/m/acme.store_1',
      appUrl: null,
      carrier: 'ref',
      text: null,
      warnings: [MOBILE_ONLY],
    });
  });

  it('carries the ref and warns that new threads need Ice Breakers', () => {
    const link = buildInstagram({ username: '@acmestore', ref: 'WFED-BNKX' });
    expect(link.url).toBe('https://ig.me/m/acmestore?ref=WFED-BNKX');
    expect(link.warnings).toEqual([
      MOBILE_ONLY,
      'Instagram passes the ref in new threads only when the account has Ice Breakers set',
    ]);
  });

  it('accepts a 30-character username', () => {
    expect(buildInstagram({ username: 'a'.repeat(30) }).url).toBe(`https://ig.me/m/${'a'.repeat(30)}`);
  });
});
