/**
 * `chatmark demo`: a realistic 30-day data set, planned here from a seeded random function and a
 * clock (so the same seed and end time give the same plan), then played through the real HTTP
 * app (play.ts) — the same validation, redirect, journal, webhook and event paths as production —
 * so the dashboard a newcomer sees is what real traffic would produce; summary.ts says what it made.
 */

export const DEMO_CHANNELS = ['whatsapp', 'telegram', 'messenger', 'sms'] as const;
export type DemoChannel = (typeof DEMO_CHANNELS)[number];

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Link-preview fetchers (spec: test/golden/user-agents.json): they click, they never chat. */
const BOT_AGENTS = ['WhatsApp/2.23.20.0 A', 'facebookexternalhit/1.1', 'TelegramBot (like TwitterBot)'];

/** People: mostly phones, some desktops, as a chat campaign's traffic is. */
const HUMAN_AGENTS: readonly { ua: string; weight: number }[] = [
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    weight: 30,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
    weight: 25,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
    weight: 12,
  },
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.40.92 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 602613337)',
    weight: 8,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    weight: 15,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    weight: 10,
  },
];

interface CampaignTemplate {
  name: string;
  channel: DemoChannel;
  source: string;
  medium: string;
  texts: readonly [string, string];
}

/** One template per channel, in rotation; the Telegram one is named like a creator's campaign. */
const TEMPLATES: readonly CampaignTemplate[] = [
  {
    name: 'Black Friday WhatsApp',
    channel: 'whatsapp',
    source: 'instagram',
    medium: 'paid_social',
    texts: ["Hi! I'd like the Black Friday offer", 'Hi! Can you send me the Black Friday prices?'],
  },
  {
    name: 'creator_maria_reel',
    channel: 'telegram',
    source: 'instagram',
    medium: 'creator',
    texts: ['Hi Maria sent me', 'Hello, I saw the reel'],
  },
  {
    name: 'Messenger retargeting',
    channel: 'messenger',
    source: 'facebook',
    medium: 'paid_social',
    texts: ['Hi! Is this still available?', 'Hi! I have a question'],
  },
  {
    name: 'SMS winback',
    channel: 'sms',
    source: 'sms',
    medium: 'sms',
    texts: ['Hi, I got your text about the offer', 'YES to the winback offer'],
  },
];

export interface DemoCampaignPlan {
  name: string;
  channel: DemoChannel;
  utm: { source: string; medium: string; campaign: string };
  links: readonly { variant: 'a' | 'b'; text: string }[];
  /**
   * The paid push's start (the campaign's `startsAt`), when it has one: the days before it are its
   * warm-up, whose counts the baseline snapshot taken at launch keeps as the reviews' "expected".
   */
  launchAt: number | null;
}

/**
 * Every demo campaign is an A/B test of its two links, decided on the rate the variants move
 * (variant b's chat rate is planned higher). 100 chats in the larger arm is enough for this demo's
 * traffic to reach a decision; the split is the planned 50/50, so the sample-ratio check runs.
 */
export const DEMO_EXPERIMENT = {
  decisionMetric: 'click_to_message_rate',
  expectedWeights: [1, 1],
  minConversions: 100,
} as const;

/** The day (from the first) the first campaign's paid push launches. */
const LAUNCH_DAY = 10;

/** Everything that happens, in time order; `click` numbers the clicks other actions refer to. */
export type DemoAction =
  | {
      kind: 'click';
      at: number;
      click: number;
      campaign: number;
      variant: 0 | 1;
      ua: string;
      bot: boolean;
      qr: boolean;
      ip: string;
    }
  | { kind: 'chat'; at: number; click: number; contact: string }
  | { kind: 'qualified'; at: number; click: number; person: string }
  | { kind: 'purchase'; at: number; click: number; amount: number; person: string }
  | { kind: 'refund'; at: number; click: number; amount: number; person: string }
  | {
      kind: 'cost';
      at: number;
      campaign: number;
      date: string;
      amount: number;
      impressions: number;
      reach: number;
    }
  | { kind: 'exposures'; at: number; campaign: number; phones: readonly string[] }
  /** The baseline snapshot of a campaign, taken as its paid push launches. */
  | { kind: 'baseline'; at: number; campaign: number }
  /** The root-cause notes of a post-launch review (day 3, 7 or 14). */
  | { kind: 'review'; at: number; campaign: number; day: 3 | 7 | 14; notes: string };

export interface DemoPlan {
  /** When the campaigns and links are created: just before the first day. */
  start: number;
  campaigns: readonly DemoCampaignPlan[];
  actions: readonly DemoAction[];
}

export interface DemoPlanOptions {
  campaigns: number;
  random: () => number;
  /** The end of the data set (the real now): nothing is planned after it. */
  now: number;
  days?: number;
}

/**
 * A small seeded generator (mulberry32): the same seed, the same demo.
 *
 * @example const random = seededRandom(1); random(); // 0.6270739405881613
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Plans the demo: campaigns, links and every click, chat, conversion, cost and send over `days`
 * days ending at `now`, and the first campaign's launch (its baseline snapshot and day-3 review
 * note). Pure: all chance comes from `random`.
 *
 * @example planDemo({ campaigns: 4, random: seededRandom(1), now: Date.now() }).actions.length > 1000
 */
export function planDemo(options: DemoPlanOptions): DemoPlan {
  const { random, now } = options;
  const days = options.days ?? 30;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const weighted = (items: readonly { ua: string; weight: number }[]) => {
    let roll = random() * items.reduce((sum, i) => sum + i.weight, 0);
    for (const item of items) if ((roll -= item.weight) < 0) return item.ua;
    return items[0]?.ua ?? '';
  };
  const phone = () => `+447911${String(between(0, 999_999)).padStart(6, '0')}`;
  const start = now - days * DAY;

  const campaigns: DemoCampaignPlan[] = [];
  for (let i = 0; i < options.campaigns; i += 1) {
    const template = TEMPLATES[i % TEMPLATES.length] as CampaignTemplate;
    const round = Math.floor(i / TEMPLATES.length);
    const name = round === 0 ? template.name : `${template.name} ${round + 1}`;
    campaigns.push({
      name,
      channel: template.channel,
      utm: {
        source: template.source,
        medium: template.medium,
        campaign: name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      },
      links: [
        { variant: 'a', text: template.texts[0] },
        { variant: 'b', text: template.texts[1] },
      ],
      launchAt: null,
    });
  }
  const actions: DemoAction[] = [];
  // The first campaign's paid push launches on day 10, when there is room for its day-14 review;
  // its links had warm-up traffic before.
  const first = campaigns[0];
  const launchAt = start + LAUNCH_DAY * DAY;
  if (first && launchAt + 14 * DAY <= now) {
    campaigns[0] = { ...first, launchAt };
    const reviewAt = launchAt + 3 * DAY + 10 * HOUR;
    actions.push(
      { kind: 'baseline', at: launchAt, campaign: 0 },
      {
        kind: 'review',
        at: reviewAt,
        campaign: 0,
        day: 3,
        notes:
          'Health check: both links redirect, refs arrive in the WhatsApp webhook, bots are filtered. No decision at day 3.',
      },
    );
  }

  // A few thousand clicks in all, whatever the number of campaigns, so the demo stays quick.
  const dailyClicks = Math.min(28, 170 / options.campaigns);
  // The SMS list: each send goes to all of it, and each SMS chat comes from the next person on it
  // (a repeat would be a re-entry, not a new chat), then from people the sends never reached.
  const smsList = Array.from({ length: 300 }, phone);
  let smsChats = 0;
  let clicks = 0;
  // The team's CRM ids of qualified people. About a third of the people who qualify in one
  // campaign came back from an earlier one, so journeys cross campaigns and the attribution
  // models disagree (as they do with real data).
  const people: { id: string; at: number; campaign: number }[] = [];
  const personFor = (campaign: number, time: number): string => {
    if (random() < 0.35) {
      const earlier = people.filter((p) => p.campaign !== campaign && p.at < time - 2 * HOUR).slice(-40);
      const returning = earlier[Math.floor(random() * earlier.length)];
      if (returning) return returning.id;
    }
    const id = `crm-${people.length + 1}`;
    people.push({ id, at: time, campaign });
    return id;
  };
  let refunded = false;
  const at = (time: number) => Math.min(time, now);

  for (let day = 0; day < days; day += 1) {
    const dayStart = start + day * DAY;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay()) ? 1.25 : 1;
    const trend = 0.8 + (0.4 * day) / Math.max(1, days - 1);
    campaigns.forEach((campaign, c) => {
      const amount = between(5_000, 25_000);
      const impressions = Math.round((amount / 100) * between(40, 90));
      actions.push({
        kind: 'cost',
        at: dayStart,
        campaign: c,
        date: new Date(dayStart).toISOString().slice(0, 10),
        amount,
        impressions,
        reach: Math.round(impressions * (0.55 + random() * 0.25)),
      });
      // The SMS list gets a send every ten days: the billboard model's exposures.
      if (campaign.channel === 'sms' && day % 10 === 1) {
        actions.push({ kind: 'exposures', at: dayStart + 9 * HOUR, campaign: c, phones: smsList });
      }
      const count = Math.round(dailyClicks * weekend * trend * (0.7 + random() * 0.6));
      for (let n = 0; n < count; n += 1) {
        // Busier in the afternoon and evening, quiet at night.
        const hour = Math.min(23, Math.floor(8 + Math.abs(random() + random() - 1) * 16 + random() * 2));
        const clickAt = dayStart + hour * HOUR + between(0, 59) * MINUTE + between(0, 59) * 1000;
        if (clickAt > now) continue;
        const click = clicks++;
        const variant: 0 | 1 = random() < 0.5 ? 0 : 1;
        const bot = random() < 0.08;
        actions.push({
          kind: 'click',
          at: clickAt,
          click,
          campaign: c,
          variant,
          ua: bot ? pick(BOT_AGENTS) : weighted(HUMAN_AGENTS),
          bot,
          qr: !bot && random() < 0.1,
          // Carrier-grade NAT addresses, as most phones have.
          ip: `100.${between(64, 127)}.${between(0, 255)}.${between(1, 254)}`,
        });
        // Variant b's text converts a little better, so the A/B report has something to show.
        if (bot || random() >= (variant === 0 ? 0.31 : 0.39)) continue;
        const chatAt = at(clickAt + between(1, 20) * MINUTE);
        const contact = campaign.channel === 'sms' ? (smsList[smsChats++] ?? phone()) : phone();
        actions.push({ kind: 'chat', at: chatAt, click, contact });
        if (random() >= 0.4) continue;
        const qualifiedAt = at(chatAt + between(10, 360) * MINUTE);
        const person = personFor(c, qualifiedAt);
        actions.push({ kind: 'qualified', at: qualifiedAt, click, person });
        if (random() >= 0.5) continue;
        const purchaseAt = at(qualifiedAt + between(60, 72 * 60) * MINUTE);
        const value = between(30, 150) * 100;
        actions.push({ kind: 'purchase', at: purchaseAt, click, amount: value, person });
        if (!refunded && day >= 3) {
          refunded = true;
          actions.push({ kind: 'refund', at: at(purchaseAt + 2 * DAY), click, amount: value, person });
        }
      }
    });
  }
  // A stable sort: things at the same moment keep their causal order (click, chat, …).
  actions.sort((a, b) => a.at - b.at);
  return { start: start - HOUR, campaigns, actions };
}
