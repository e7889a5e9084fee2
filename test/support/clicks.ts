import type { ClickRecord } from '../../src/store/clicks.repository.js';

/**
 * A click as the journal writes it: a person's phone on link 1, no referrer, no ad ids, at
 * 2026-11-23T00:00Z; `fields` change what a test is about.
 *
 * @example clickRecord(7, { linkId: 2, bot: true, botReason: 'isbot' })
 */
export function clickRecord(id: number, fields: Partial<ClickRecord> = {}): ClickRecord {
  return {
    id,
    linkId: 1,
    at: Date.UTC(2026, 10, 23),
    visitorHash: 'v',
    device: 'mobile',
    os: null,
    browser: null,
    referrerHost: null,
    qr: false,
    bot: false,
    botReason: null,
    country: null,
    adIds: null,
    ...fields,
  };
}
