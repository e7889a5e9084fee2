import { describe, expect, it } from 'vitest';
import { buildMessenger } from './messenger.js';

const GET_STARTED = 'Messenger passes the ref in new threads only when the Page has a Get Started button';

describe('buildMessenger (spec/channels.md §4.1)', () => {
  it('builds a bare m.me link without warnings', () => {
    expect(buildMessenger({ page: 'acmestore' })).toEqual({
      channel: 'messenger',
      url: 'https://m.me/acmestore',
      appUrl: null,
      carrier: 'ref',
      text: null,
      warnings: [],
    });
  });

  it('accepts a numeric Page id and handles with . - _', () => {
    expect(buildMessenger({ page: '104512345678901' }).url).toBe('https://m.me/104512345678901');
    expect(buildMessenger({ page: 'acme.store-eu_1' }).url).toBe('https://m.me/acme.store-eu_1');
  });

  it('needs a Get Started button for the ref in new threads (§4.1 requirements)', () => {
    expect(buildMessenger({ page: 'acmestore', ref: 'WFED-BNKX' }).warnings).toEqual([GET_STARTED]);
  });

  it('puts ref before text and warns that the pair is untested (§10 q3)', () => {
    const link = buildMessenger({ page: 'acmestore', ref: 'WFED-BNKX', text: 'Hi & hello' });
    expect(link.url).toBe('https://m.me/acmestore?ref=WFED-BNKX&text=Hi%20%26%20hello');
    expect(link.text).toBe('Hi & hello');
    expect(link.warnings).toEqual([GET_STARTED, expect.stringContaining('§10 q3')]);
  });
});
