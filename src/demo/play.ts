import {
  hubSignature,
  messengerReferralPostback,
  telegramStartUpdate,
  whatsappTextMessage,
} from '../webhooks/payloads.js';
import { DEMO_EXPERIMENT, type DemoChannel, type DemoPlan } from './plan.js';

/** The webhook secrets the demo server is configured with (the demo signs its own deliveries). */
export const DEMO_WEBHOOK_ENV = {
  TELEGRAM_WEBHOOK_SECRET: 'demo_telegram_secret',
  WHATSAPP_APP_SECRET: 'demo-whatsapp-app-secret',
  META_APP_SECRET: 'demo-meta-app-secret',
} as const;

/** Where each channel's demo links lead. */
const TARGETS: Readonly<Record<DemoChannel, Record<string, string>>> = {
  whatsapp: { phone: '+15550783881' },
  telegram: { username: 'acme_support_bot' },
  messenger: { page: 'acmestore' },
  sms: { phone: '+15550783881' },
};

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
    const body = JSON.stringify(
      whatsappTextMessage(
        `Hi! I'd like the offer (ref ${printed})`,
        `wamid.demo.${delivery}`,
        digits,
        'Demo customer',
        seconds,
      ),
    );
    const answer = await send('POST', '/webhooks/whatsapp', body, {
      'x-hub-signature-256': hubSignature(body, DEMO_WEBHOOK_ENV.WHATSAPP_APP_SECRET),
    });
    return Number(answer.recorded ?? 0);
  }
  if (click.channel === 'telegram') {
    // spec/channels.md §2.4: `/start <payload>`.
    const userId = Number(digits.slice(-9));
    const update = telegramStartUpdate({
      payload: click.token,
      updateId: delivery,
      userId,
      firstName: 'Demo',
      date: Number(seconds),
    });
    const answer = await send('POST', '/webhooks/telegram', update, {
      'x-telegram-bot-api-secret-token': DEMO_WEBHOOK_ENV.TELEGRAM_WEBHOOK_SECRET,
    });
    return Number(answer.recorded ?? 0);
  }
  if (click.channel === 'messenger') {
    // A new thread opened from an m.me link: postback.referral.ref carries the token.
    const body = JSON.stringify(
      messengerReferralPostback({
        ref: click.token,
        psid: `PSID-${digits}`,
        time: at,
        mid: `m_demo_${delivery}`,
      }),
    );
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
