import { createHmac } from 'node:crypto';

/**
 * `chatmark demo`: a realistic 30-day data set, planned here from a seeded random function and a
 * clock (so the same seed and end time give the same plan), then played through the real HTTP
 * app with `inject` — the same validation, redirect, journal, webhook and event paths as
 * production — so the dashboard a newcomer sees is what real traffic would produce.
 */

export const DEMO_CHANNELS = ['whatsapp', 'telegram', 'messenger', 'sms'] as const;
export type DemoChannel = (typeof DEMO_CHANNELS)[number];

/** The webhook secrets the demo server is configured with (the demo signs its own deliveries). */
export const DEMO_WEBHOOK_ENV = {
  TELEGRAM_WEBHOOK_SECRET: 'demo_telegram_secret',
  WHATSAPP_APP_SECRET: 'demo-whatsapp-app-secret',
  META_APP_SECRET: 'demo-meta-app-secret',
} as const;

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

const TARGETS: Readonly<Record<DemoChannel, Record<string, string>>> = {
  whatsapp: { phone: '+15550783881' },
  telegram: { username: 'acme_support_bot' },
  messenger: { page: 'acmestore' },
  sms: { phone: '+15550783881' },
};

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

export interface DemoCounts {
  campaigns: number;
  links: number;
  clicks: number;
  bots: number;
  chats: number;
  qualified: number;
  purchases: number;
  refunds: number;
  costDays: number;
  exposures: number;
  experiments: number;
  baselines: number;
}

/** What `runDemo` needs of the server: `app.inject` and its clock. */
export interface DemoTarget {
  inject(request: {
    method: 'GET' | 'POST' | 'PUT';
    url: string;
    payload?: string;
    headers?: Record<string, string>;
    remoteAddress?: string;
  }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
  clock: { now: number };
  /** An admin key's secret. */
  key: string;
}

const hubSignature = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * Plays a plan through the HTTP app, moving the clock to each action's time, and counts what the
 * server recorded: campaigns with their A/B links and the experiment comparing them
 * (POST /api/campaigns/:id/experiments), then every action, the baseline and review notes through
 * their routes too. Any refusal is a bug in the plan, so it throws with the server's answer.
 *
 * @example const counts = await runDemo({ inject: (r) => server.app.inject(r), clock, key }, plan);
 */
export async function runDemo(target: DemoTarget, plan: DemoPlan): Promise<DemoCounts> {
  const counts: DemoCounts = {
    campaigns: 0,
    links: 0,
    clicks: 0,
    bots: 0,
    chats: 0,
    qualified: 0,
    purchases: 0,
    refunds: 0,
    costDays: 0,
    exposures: 0,
    experiments: 0,
    baselines: 0,
  };
  const send = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    expected: readonly number[] = [200, 201],
  ) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const response = await target.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload }),
      headers: {
        authorization: `Bearer ${target.key}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
    });
    if (!expected.includes(response.statusCode)) {
      throw new Error(`demo: ${method} ${url} answered ${response.statusCode}: ${response.body}`);
    }
    return JSON.parse(response.body === '' ? 'null' : response.body) as Record<string, unknown>;
  };

  target.clock.now = plan.start;
  const campaignIds: number[] = [];
  const links: { code: string }[][] = [];
  for (const campaign of plan.campaigns) {
    const created = await send('POST', '/api/campaigns', {
      name: campaign.name,
      owner: 'demo',
      channels: [campaign.channel],
      utm: campaign.utm,
      notes: 'Made by `chatmark demo`.',
      ...(campaign.launchAt !== null && { startsAt: new Date(campaign.launchAt).toISOString() }),
    });
    campaignIds.push(Number(created.id));
    counts.campaigns += 1;
    const pair: { code: string; id: number }[] = [];
    for (const link of campaign.links) {
      const made = await send('POST', '/api/links', {
        campaignId: created.id,
        channel: campaign.channel,
        target: TARGETS[campaign.channel],
        // Telegram's Start button and Messenger's referral carry no prefilled text.
        ...(campaign.channel === 'whatsapp' || campaign.channel === 'sms' ? { text: link.text } : {}),
        variant: link.variant,
        utm: { content: `variant_${link.variant}` },
      });
      pair.push({ code: String(made.code), id: Number(made.id) });
      counts.links += 1;
    }
    links.push(pair);
    const [a, b] = pair;
    if (a && b) {
      const texts = campaign.channel === 'whatsapp' || campaign.channel === 'sms';
      await send('POST', `/api/campaigns/${String(created.id)}/experiments`, {
        name: texts ? 'Prefilled text a vs b' : 'Link a vs link b',
        baselineLinkIds: [a.id],
        variantLinkIds: [b.id],
        ...DEMO_EXPERIMENT,
      });
      counts.experiments += 1;
    }
  }

  const tokens = new Map<number, { token: string; channel: DemoChannel }>();
  let delivery = 0;
  for (const action of plan.actions) {
    target.clock.now = action.at;
    const iso = new Date(action.at).toISOString();
    switch (action.kind) {
      case 'click': {
        const code = links[action.campaign]?.[action.variant]?.code;
        const response = await target.inject({
          method: 'GET',
          url: `/${code}${action.qr ? '?qr=1' : ''}`,
          headers: { 'user-agent': action.ua },
          remoteAddress: action.ip,
        });
        if (response.statusCode !== 302 && response.statusCode !== 200) {
          throw new Error(`demo: GET /${code} answered ${response.statusCode}: ${response.body}`);
        }
        const channel = plan.campaigns[action.campaign]?.channel ?? 'whatsapp';
        tokens.set(action.click, { token: String(response.headers['x-chatmark-click']), channel });
        counts.clicks += 1;
        if (action.bot) counts.bots += 1;
        break;
      }
      case 'chat': {
        const click = tokens.get(action.click);
        if (!click) throw new Error(`demo: chat before its click ${action.click}`);
        delivery += 1;
        const recorded = await startChat(send, click, action.contact, action.at, delivery);
        counts.chats += recorded;
        break;
      }
      case 'qualified':
      case 'purchase':
      case 'refund': {
        const click = tokens.get(action.click);
        const answer = await send('POST', '/api/events', {
          type: action.kind,
          occurredAt: iso,
          idempotencyKey: `demo-${action.kind}-${action.click}`,
          clickId: click?.token,
          contact: { externalId: action.person },
          ...(action.kind === 'qualified' ? {} : { value: { amount: action.amount, currency: 'USD' } }),
        });
        if (answer.duplicate === false) {
          if (action.kind === 'qualified') counts.qualified += 1;
          else if (action.kind === 'purchase') counts.purchases += 1;
          else counts.refunds += 1;
        }
        break;
      }
      case 'cost': {
        await send('POST', '/api/costs', {
          campaignId: campaignIds[action.campaign],
          date: action.date,
          spend: { amount: action.amount, currency: 'USD' },
          impressions: action.impressions,
          reach: action.reach,
        });
        counts.costDays += 1;
        break;
      }
      case 'baseline': {
        await send('POST', `/api/campaigns/${campaignIds[action.campaign]}/baseline`);
        counts.baselines += 1;
        break;
      }
      case 'review': {
        await send('PUT', `/api/campaigns/${campaignIds[action.campaign]}/reviews/${action.day}`, {
          notes: action.notes,
        });
        break;
      }
      case 'exposures': {
        const answer = await send(
          'POST',
          '/api/exposures',
          action.phones.map((phone) => ({
            contact: { phone },
            campaignId: campaignIds[action.campaign],
            channel: 'sms',
            sentAt: iso,
          })),
        );
        counts.exposures += Number(answer.created ?? 0);
        break;
      }
    }
  }
  return counts;
}

type Send = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/** One chat start through the channel's real path; resolves to how many the server recorded. */
async function startChat(
  send: Send,
  click: { token: string; channel: DemoChannel },
  contact: string,
  at: number,
  delivery: number,
): Promise<number> {
  const digits = contact.replace(/^\+/, '');
  const seconds = String(Math.floor(at / 1000));
  if (click.channel === 'whatsapp') {
    // spec/channels.md §1.6: the ref travels visibly in the prefilled text.
    const printed = `${click.token.slice(0, 4)}-${click.token.slice(4)}`;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'Demo customer' }, wa_id: digits }],
                messages: [
                  {
                    from: digits,
                    id: `wamid.demo.${delivery}`,
                    timestamp: seconds,
                    type: 'text',
                    text: { body: `Hi! I'd like the offer (ref ${printed})` },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const answer = await send('POST', '/webhooks/whatsapp', body, {
      'x-hub-signature-256': hubSignature(body, DEMO_WEBHOOK_ENV.WHATSAPP_APP_SECRET),
    });
    return Number(answer.recorded ?? 0);
  }
  if (click.channel === 'telegram') {
    // spec/channels.md §2.4: `/start <payload>`.
    const userId = Number(digits.slice(-9));
    const answer = await send(
      'POST',
      '/webhooks/telegram',
      {
        update_id: delivery,
        message: {
          message_id: delivery,
          from: { id: userId, is_bot: false, first_name: 'Demo' },
          chat: { id: userId, type: 'private' },
          date: Number(seconds),
          text: `/start ${click.token}`,
          entities: [{ offset: 0, length: 6, type: 'bot_command' }],
        },
      },
      { 'x-telegram-bot-api-secret-token': DEMO_WEBHOOK_ENV.TELEGRAM_WEBHOOK_SECRET },
    );
    return Number(answer.recorded ?? 0);
  }
  if (click.channel === 'messenger') {
    // A new thread opened from an m.me link: postback.referral.ref carries the token.
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '1234',
          time: at,
          messaging: [
            {
              sender: { id: `PSID-${digits}` },
              recipient: { id: '1234' },
              timestamp: at,
              postback: {
                title: 'Get Started',
                payload: 'GET_STARTED',
                mid: `m_demo_${delivery}`,
                referral: { ref: click.token, source: 'SHORTLINK', type: 'OPEN_THREAD' },
              },
            },
          ],
        },
      ],
    });
    const answer = await send('POST', '/webhooks/meta', body, {
      'x-hub-signature-256': hubSignature(body, DEMO_WEBHOOK_ENV.META_APP_SECRET),
    });
    return Number(answer.recorded ?? 0);
  }
  // SMS has no webhook: the inbox integration reports the chat with the ref it read.
  const answer = await send('POST', '/api/events', {
    type: 'chat_started',
    occurredAt: new Date(at).toISOString(),
    idempotencyKey: `demo-sms-chat-${delivery}`,
    ref: click.token,
    contact: { phone: contact },
  });
  return answer.duplicate === false ? 1 : 0;
}

/**
 * The line `chatmark demo` prints for a person.
 *
 * @example formatDemoSummary(counts, 'cm_…', 'http://localhost:8080')
 */
export function formatDemoSummary(counts: DemoCounts, key: string, url: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    `demo: ${n(counts.campaigns)} campaigns, ${n(counts.links)} links, ${n(counts.clicks)} clicks ` +
    `(${n(counts.bots)} bots), ${n(counts.chats)} chats, ${n(counts.qualified)} qualified, ` +
    `${n(counts.purchases)} purchases (${n(counts.refunds)} refund${counts.refunds === 1 ? '' : 's'}), ` +
    `${n(counts.costDays)} cost days, ${n(counts.exposures)} SMS sends, ${n(counts.experiments)} A/B experiments, ` +
    `${n(counts.baselines)} baseline snapshot${counts.baselines === 1 ? '' : 's'}; admin key ${key} (shown once) — open ${url}`
  );
}
