import { isWithin } from './eligible.js';
import { compareTouches, sortTouches } from './order.js';
import type { Touch, Windows } from './types.js';

export interface BillboardSelection {
  /** Eligible sends and the clicks that made or kept their campaigns eligible, in attribution order. */
  eligible: Touch[];
  /** The most recently sent eligible send, which takes the whole conversion; null when none. */
  credited: Touch | null;
}

/**
 * `billboard` (spec/metrics.md §2, after Instasent's SMS model). A send is an `exposure` touch. A
 * send at s is eligible when
 *   - T − s ≤ exposure window (default 24 h): no click needed; or
 *   - T − s ≤ click window (default 72 h) and the contact clicked that campaign (a `click` with the
 *     same non-null campaignId) at some time k with s ≤ k ≤ T.
 * The whole conversion goes to the eligible send with the latest send time.
 *
 * How sends and clicks of one campaign combine: a click is not a candidate of its own. It stretches
 * its campaign's sends from the exposure window to the click window, and the send time, never the
 * click time, decides which campaign is the most recent. The credit goes to the send touch. The
 * clicks that count (within the click window, after an eligible send of their campaign) are still
 * eligible touches: they count as claimed, immediate or assist like any touch, so the immediate
 * touch can be a click of another campaign than the credited one. Clicks with no earlier send of
 * their campaign, clicks before the send, and chats started are not billboard touches. Each send of
 * a campaign sent several times is its own candidate. A send with no campaign can only be eligible
 * through the exposure window, since no click can name it.
 *
 * @example billboardSelection(T, [sendA, clickA, sendB], BILLBOARD_DEFAULT_WINDOWS).credited
 */
export function billboardSelection(
  conversionAt: number,
  touches: readonly Touch[],
  windows: Windows,
): BillboardSelection {
  const clicksByCampaign = new Map<number, Touch[]>();
  for (const touch of touches) {
    if (touch.type !== 'click' || touch.campaignId === null) continue;
    if (!isWithin(conversionAt, touch.at, windows.click)) continue;
    const clicks = clicksByCampaign.get(touch.campaignId);
    if (clicks === undefined) clicksByCampaign.set(touch.campaignId, [touch]);
    else clicks.push(touch);
  }

  const eligible = new Set<Touch>();
  let credited: Touch | null = null;
  for (const send of touches) {
    if (send.type !== 'exposure') continue;
    const clicked =
      send.campaignId === null
        ? []
        : (clicksByCampaign.get(send.campaignId) ?? []).filter((click) => click.at >= send.at);
    const exposed = isWithin(conversionAt, send.at, windows.exposure);
    const engaged = clicked.length > 0 && isWithin(conversionAt, send.at, windows.click);
    if (!exposed && !engaged) continue;
    eligible.add(send);
    for (const click of clicked) eligible.add(click);
    if (credited === null || compareTouches(send, credited) > 0) credited = send;
  }
  return { eligible: sortTouches([...eligible]), credited };
}
