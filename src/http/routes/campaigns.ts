import { z } from 'zod';
import { CHANNELS } from '../../domain/channels/types.js';
import {
  createCampaign,
  listCampaignChanges,
  patchCampaign,
  requireCampaign,
} from '../../services/campaigns.service.js';
import { type CampaignFields, type CampaignRecord, listCampaigns } from '../../store/campaigns.repository.js';
import { listLinks } from '../../store/links.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import { idParam, isoDate, money, moneyInput, toIso, toMs, utmValues } from '../schemas.js';

const channel = z.enum([...CHANNELS, 'web']);

const campaignBody = z
  .object({
    name: z.string().min(1).max(200),
    owner: z.string().min(1).max(200),
    slug: z.string().min(1).max(100).optional(),
    channels: z.array(channel).optional(),
    utm: utmValues.optional(),
    budgetCap: moneyInput.nullable().optional(),
    startsAt: isoDate.nullable().optional(),
    endsAt: isoDate.nullable().optional(),
    rollbackCriteria: z.record(z.string(), z.unknown()).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    primaryConversion: z.string().min(1).max(64).optional(),
  })
  .strict();

const campaignView = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  owner: z.string(),
  channels: z.array(z.string()),
  utm: z.record(z.string(), z.string()),
  budgetCap: money.nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  rollbackCriteria: z.unknown(),
  notes: z.string().nullable(),
  primaryConversion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function view(c: CampaignRecord): z.infer<typeof campaignView> {
  return {
    ...c,
    startsAt: toIso(c.startsAt),
    endsAt: toIso(c.endsAt),
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

type Body = z.infer<typeof campaignBody>;

/** The request body as campaign fields: ISO times to epoch milliseconds, unset UTM keys dropped. */
function fields(body: Partial<Body>): Partial<CampaignFields> {
  const { startsAt, endsAt, utm, ...rest } = body;
  return {
    ...rest,
    ...(utm !== undefined && {
      utm: Object.fromEntries(Object.entries(utm).filter((e): e is [string, string] => e[1] !== undefined)),
    }),
    ...(startsAt !== undefined && { startsAt: toMs(startsAt) ?? null }),
    ...(endsAt !== undefined && { endsAt: toMs(endsAt) ?? null }),
  };
}

export function campaignRoutes(onLinksChanged: (codes: string[]) => Promise<void>) {
  return (app: ZodApp, ctx: AppContext): void => {
    const tags = ['campaigns'];
    app.post(
      '/api/campaigns',
      {
        config: { role: 'editor' },
        schema: { tags, summary: 'Create a campaign', body: campaignBody, response: { 201: campaignView } },
      },
      async (request, reply) => {
        const campaign = await createCampaign(
          ctx.store.db,
          { ...fields(request.body), name: request.body.name, owner: request.body.owner },
          ctx.now(),
        );
        return reply.status(201).send(view(campaign));
      },
    );
    app.get(
      '/api/campaigns',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'List campaigns',
          response: { 200: z.object({ campaigns: z.array(campaignView) }) },
        },
      },
      async () => ({ campaigns: (await listCampaigns(ctx.store.db)).map(view) }),
    );
    app.get(
      '/api/campaigns/:id',
      {
        config: { role: 'viewer' },
        schema: { tags, summary: 'One campaign', params: idParam, response: { 200: campaignView } },
      },
      async (request) => view(await requireCampaign(ctx.store.db, request.params.id)),
    );
    app.patch(
      '/api/campaigns/:id',
      {
        config: { role: 'editor' },
        schema: {
          tags,
          summary: 'Change a campaign (each changed field is written to the changelog)',
          params: idParam,
          body: campaignBody.partial(),
          response: { 200: campaignView },
        },
      },
      async (request) => {
        const { id } = request.params;
        const updated = await patchCampaign(
          ctx.store,
          id,
          fields(request.body),
          request.apiKey?.id ?? null,
          ctx.now(),
        );
        const links = await listLinks(ctx.store.db, { campaignId: id, includeArchived: true });
        await onLinksChanged(links.map((l) => l.code));
        return view(updated);
      },
    );
    app.get(
      '/api/campaigns/:id/changelog',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'Every change to the campaign: field, old, new, actor key, time',
          params: idParam,
          response: {
            200: z.object({
              changes: z.array(
                z.object({
                  field: z.string(),
                  old: z.unknown(),
                  new: z.unknown(),
                  actorKeyId: z.number().nullable(),
                  at: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const { id } = request.params;
        await requireCampaign(ctx.store.db, id);
        const changes = await listCampaignChanges(ctx.store.db, id);
        return {
          changes: changes.map((c) => ({
            field: c.field,
            old: c.oldValue,
            new: c.newValue,
            actorKeyId: c.actorKeyId,
            at: new Date(c.at).toISOString(),
          })),
        };
      },
    );
  };
}
