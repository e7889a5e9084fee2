import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clickRecord } from '../../test/support/clicks.js';
import { type ClickRecord, rollupRows } from './clicks.repository.js';

const HOUR = 3_600_000;

const click = (linkId: number, at: number, device: string, bot: boolean, qr: boolean): ClickRecord =>
  clickRecord(0, { linkId, at, device, bot, qr });

describe('rollupRows', () => {
  it('sums interleaved runs of keys into one row per key, in key order', () => {
    const clicks = [
      click(2, 10, 'mobile', false, false),
      click(2, 20, 'mobile', false, false),
      click(1, 30, 'mobile', false, false),
      click(2, 40, 'mobile', false, false),
      click(2, HOUR + 1, 'mobile', false, false),
      click(2, 50, 'desktop', false, false),
      click(2, 60, 'mobile', false, true),
      click(2, 70, 'mobile', true, false),
    ];
    expect(rollupRows(clicks)).toEqual([
      { link_id: 1, hour: 0, bot: 0, device: 'mobile', qr: 0, clicks: 1 },
      { link_id: 2, hour: 0, bot: 0, device: 'desktop', qr: 0, clicks: 1 },
      { link_id: 2, hour: 0, bot: 0, device: 'mobile', qr: 0, clicks: 3 },
      { link_id: 2, hour: 0, bot: 0, device: 'mobile', qr: 1, clicks: 1 },
      { link_id: 2, hour: 0, bot: 1, device: 'mobile', qr: 0, clicks: 1 },
      { link_id: 2, hour: HOUR, bot: 0, device: 'mobile', qr: 0, clicks: 1 },
    ]);
  });

  it('counts every click once, whatever the order of the batch', () => {
    const arbClick = fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 * HOUR }),
        fc.constantFrom('mobile', 'desktop', 'bot'),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([linkId, at, device, bot, qr]) => click(linkId, at, device, bot, qr));
    fc.assert(
      fc.property(fc.array(arbClick, { maxLength: 60 }), (clicks) => {
        const expected = new Map<string, number>();
        for (const c of clicks) {
          const key = [c.linkId, c.at - (c.at % HOUR), c.bot ? 1 : 0, c.device, c.qr ? 1 : 0].join('|');
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const rows = rollupRows(clicks);
        const got = new Map(
          rows.map((r) => [[r.link_id, r.hour, r.bot, r.device, r.qr].join('|'), r.clicks]),
        );
        expect(got).toEqual(expected);
        expect(rows.length).toBe(expected.size);
      }),
    );
  });
});
