import type { FastifyRequest } from 'fastify';
import { type z } from 'zod';
import { checkRange, MAX_RANGE_MS } from '../../domain/date-range.js';
import { ChatmarkError } from '../../domain/errors.js';
import type { RefCodec } from '../../domain/ref-token.js';
import { findCampaign } from '../../services/campaigns.service.js';
import {
  archiveLink,
  clickStats,
  createLink,
  type LinkInput,
  listClicks,
  listLinks,
  patchLink,
  previewLink,
  previewStoredLink,
  requireLink,
} from '../../services/links.service.js';
import type { LinkRecord } from '../../store/links.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import { publicOrigin } from '../public-origin.js';
import { idParam, toIso, toMs } from '../contract/common.js';
import {
  clickExport,
  clicksQuery,
  type Link,
  linkBody,
  linkList,
  linkListQuery,
  linkPatch,
  linkPreview,
  linkStats,
  linkView,
  statsQuery,
} from '../contract/links.js';

type LinkBody = z.infer<typeof linkBody>;

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

export function linkRoutes(codec: RefCodec, onLinkChanged: (code: string) => Promise<void>) {
  return (app: ZodApp, ctx: AppContext): void => {
    const tags = ['links'];
    const shortUrl = (code: string, request: FastifyRequest) =>
      `${publicOrigin(ctx.config, request)}/${code}`;
    async function view(link: LinkRecord, request: FastifyRequest): Promise<Link> {
      const campaign = await findCampaign(ctx.store.db, link.campaignId);
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
          response: { 200: linkPreview },
        },
      },
      async (request) => {
        const input = {
          ...toInput(request.body),
          channel: request.body.channel,
          target: toInput(request.body).target ?? {},
        };
        return previewLink(input, await findCampaign(ctx.store.db, input.campaignId));
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
          querystring: linkListQuery,
          response: { 200: linkList },
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
          querystring: statsQuery,
          response: { 200: linkStats },
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
          querystring: clicksQuery,
          response: { 200: clickExport },
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
