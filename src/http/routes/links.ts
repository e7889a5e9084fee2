import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CHANNELS, SMS_PLATFORMS } from '../../domain/channels/types.js';
import { checkRange, MAX_RANGE_MS } from '../../domain/date-range.js';
import { ChatmarkError } from '../../domain/errors.js';
import type { RefCodec } from '../../domain/ref-token.js';
import {
  archiveLink,
  createLink,
  type LinkInput,
  patchLink,
  previewLink,
  previewStoredLink,
  requireLink,
} from '../../services/links.service.js';
import { getCampaign } from '../../store/campaigns.repository.js';
import { clickStats, listClicks } from '../../store/clicks.repository.js';
import { type LinkRecord, listLinks } from '../../store/links.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import { publicOrigin } from '../public-origin.js';
import { idParam, isoDate, toIso, toMs, utmValues } from '../schemas.js';

const target = z
  .object({
    phone: z.string().optional(),
    country: z.string().optional(),
    username: z.string().optional(),
    start: z.string().optional(),
    shareUrl: z.string().optional(),
    uri: z.string().optional(),
    context: z.string().optional(),
    page: z.string().optional(),
    id: z.string().optional(),
    to: z.string().optional(),
    subject: z.string().optional(),
    platform: z.enum(SMS_PLATFORMS).optional(),
    url: z.string().optional(),
  })
  .strict()
  .describe("The channel's fields, as the CLI flags name them; `url` for web links");

const linkBody = z
  .object({
    campaignId: z.number().int().positive().nullable().optional(),
    channel: z.enum([...CHANNELS, 'web']),
    target,
    text: z.string().max(10_000).nullable().optional(),
    utm: utmValues.optional(),
    variant: z.string().max(64).nullable().optional(),
    code: z.string().optional(),
    expiresAt: isoDate.nullable().optional(),
    maxClicks: z.number().int().positive().nullable().optional(),
  })
  .strict();
type LinkBody = z.infer<typeof linkBody>;

const linkPatch = linkBody.omit({ code: true }).partial().strict();

const previewView = z.object({
  channel: z.string(),
  destinationPreview: z.string(),
  appUrl: z.string().nullable(),
  carrier: z.string(),
  text: z.string().nullable(),
  warnings: z.array(z.string()),
});

const linkView = z.object({
  id: z.number(),
  code: z.string(),
  shortUrl: z.string(),
  channel: z.string(),
  campaignId: z.number().nullable(),
  target: z.record(z.string(), z.string()),
  text: z.string().nullable(),
  utm: z.record(z.string(), z.string()),
  variant: z.string().nullable(),
  expiresAt: z.string().nullable(),
  maxClicks: z.number().nullable(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  destinationPreview: z.string(),
  carrier: z.string(),
  warnings: z.array(z.string()),
});

/** The request body as link input: ISO times to epoch milliseconds, unset target fields dropped. */
function toInput<T extends Partial<LinkBody>>(body: T): Omit<T, 'expiresAt' | 'target'> & Partial<LinkInput> {
  const { expiresAt, target: t, ...rest } = body;
  return {
    ...rest,
    ...(t !== undefined && {
      target: Object.fromEntries(Object.entries(t).filter((e): e is [string, string] => e[1] !== undefined)),
    }),
    ...(expiresAt !== undefined && { expiresAt: toMs(expiresAt) ?? null }),
  };
}

const range = z.object({ from: isoDate.optional(), to: isoDate.optional() });

export function linkRoutes(codec: RefCodec, onLinkChanged: (code: string) => Promise<void>) {
  return (app: ZodApp, ctx: AppContext): void => {
    const tags = ['links'];
    const shortUrl = (code: string, request: FastifyRequest) =>
      `${publicOrigin(ctx.config, request)}/${code}`;
    async function view(link: LinkRecord, request: FastifyRequest): Promise<z.infer<typeof linkView>> {
      const campaign =
        link.campaignId === null ? null : ((await getCampaign(ctx.store.db, link.campaignId)) ?? null);
      const preview = previewStoredLink(link, campaign);
      return {
        ...link,
        shortUrl: shortUrl(link.code, request),
        expiresAt: toIso(link.expiresAt),
        archivedAt: toIso(link.archivedAt),
        createdAt: new Date(link.createdAt).toISOString(),
        updatedAt: new Date(link.updatedAt).toISOString(),
        destinationPreview: preview.destinationPreview,
        carrier: preview.carrier,
        warnings: preview.warnings,
      };
    }

    app.post(
      '/api/links/preview',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'Build a link without storing it (the generator over HTTP)',
          body: linkBody,
          response: { 200: previewView },
        },
      },
      async (request) => {
        const input = {
          ...toInput(request.body),
          channel: request.body.channel,
          target: toInput(request.body).target ?? {},
        };
        const campaign = input.campaignId
          ? ((await getCampaign(ctx.store.db, input.campaignId)) ?? null)
          : null;
        return previewLink(input, campaign);
      },
    );
    app.post(
      '/api/links',
      {
        config: { role: 'editor' },
        schema: { tags, summary: 'Create a tracked link', body: linkBody, response: { 201: linkView } },
      },
      async (request, reply) => {
        const input = {
          ...toInput(request.body),
          channel: request.body.channel,
          target: toInput(request.body).target ?? {},
        };
        const { link } = await createLink(ctx.store.db, input, request.apiKey?.id ?? null, ctx.now());
        await onLinkChanged(link.code);
        return reply.status(201).send(await view(link, request));
      },
    );
    app.get(
      '/api/links',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'List links',
          querystring: z.object({
            campaignId: z.coerce.number().int().positive().optional(),
            archived: z.enum(['true', 'false']).optional(),
          }),
          response: { 200: z.object({ links: z.array(linkView) }) },
        },
      },
      async (request) => {
        const q = request.query;
        const links = await listLinks(ctx.store.db, {
          campaignId: q.campaignId,
          includeArchived: q.archived === 'true',
        });
        return { links: await Promise.all(links.map((l) => view(l, request))) };
      },
    );
    app.get(
      '/api/links/:id',
      {
        config: { role: 'viewer' },
        schema: { tags, summary: 'One link', params: idParam, response: { 200: linkView } },
      },
      async (request) => view(await requireLink(ctx.store.db, request.params.id), request),
    );
    app.patch(
      '/api/links/:id',
      {
        config: { role: 'editor' },
        schema: {
          tags,
          summary: 'Change a link',
          params: idParam,
          body: linkPatch,
          response: { 200: linkView },
        },
      },
      async (request) => {
        const { id } = request.params;
        const link = await patchLink(ctx.store.db, id, toInput(request.body), ctx.now());
        await onLinkChanged(link.code);
        return view(link, request);
      },
    );
    app.delete(
      '/api/links/:id',
      {
        config: { role: 'editor' },
        schema: {
          tags,
          summary: 'Archive a link (it then answers 410)',
          params: idParam,
          response: { 200: linkView },
        },
      },
      async (request) => {
        const link = await archiveLink(ctx.store.db, request.params.id, ctx.now());
        await onLinkChanged(link.code);
        return view(link, request);
      },
    );
    app.get(
      '/api/links/:id/stats',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "A link's clicks: humans, bots, unique visitors, QR scans, by day/device/browser/referrer",
          description:
            'Over [from, to): by default from the link’s creation (at most 366 days back) to now; a period longer than 366 days is refused (range_too_long).',
          params: idParam,
          querystring: range,
        },
      },
      async (request) => {
        const { id } = request.params;
        const q = request.query;
        const link = await requireLink(ctx.store.db, id);
        const to = q.to ? Date.parse(q.to) : ctx.now() + 1;
        // By default the link's whole life, but never more than the longest period one read may cover.
        const from = q.from ? Date.parse(q.from) : Math.max(link.createdAt, to - MAX_RANGE_MS);
        checkRange(from, to);
        return {
          linkId: id,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          ...(await clickStats(ctx.store.db, id, from, to)),
        };
      },
    );
    app.get(
      '/api/clicks',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['clicks'],
          summary: 'Export clicks in order, a page at a time (pass nextCursor as cursor)',
          querystring: z.object({
            linkId: z.coerce.number().int().positive().optional(),
            cursor: z.string().optional(),
            limit: z.coerce.number().int().min(1).max(5000).default(1000),
          }),
        },
      },
      async (request) => {
        const q = request.query;
        const after = q.cursor === undefined ? undefined : Number.parseInt(q.cursor, 10);
        if (after !== undefined && !Number.isSafeInteger(after)) {
          throw new ChatmarkError(
            'invalid_cursor',
            'cursor must be a nextCursor from an earlier page',
            'cursor',
          );
        }
        const clicks = await listClicks(ctx.store.db, { linkId: q.linkId, after, limit: q.limit });
        const last = clicks.at(-1);
        return {
          clicks: clicks.map((c) => ({
            clickId: codec.encode(c.id),
            linkId: c.linkId,
            at: new Date(c.at).toISOString(),
            visitor: c.visitorHash,
            device: c.device,
            os: c.os,
            browser: c.browser,
            referrerHost: c.referrerHost,
            qr: c.qr,
            bot: c.bot,
            botReason: c.botReason,
            country: c.country,
            adIds: c.adIds,
          })),
          nextCursor: clicks.length === q.limit && last ? String(last.id) : null,
        };
      },
    );
  };
}
