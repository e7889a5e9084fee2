import { type z } from 'zod';
import {
  createCampaign,
  listCampaignChanges,
  listCampaigns,
  patchCampaign,
  requireCampaign,
} from '../../services/campaigns.service.js';
import { listLinks } from '../../services/links.service.js';
import type { CampaignFields, CampaignRecord } from '../../store/campaigns.repository.js';
import type { AppContext, ZodApp } from '../app.js';
import {
  type Campaign,
  campaignBody,
  campaignList,
  campaignPatch,
  campaignView,
  changelog,
} from '../contract/campaigns.js';
import { idParam, toIso, toMs } from '../contract/common.js';

function view(c: CampaignRecord): Campaign {
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
          response: { 200: campaignList },
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
          body: campaignPatch,
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
          response: { 200: changelog },
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
