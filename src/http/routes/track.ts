import type { FastifyRequest } from 'fastify';
import type { RefCodec } from '../../domain/ref-token.js';
import { referrerHost, visitorHash } from '../../redirect/classify.js';
import type { DailySalt } from '../../redirect/daily-salt.js';
import { recordVisit } from '../../services/visits.service.js';
import type { AppContext, ZodApp } from '../app.js';
import { noContent, pixelQuery, type Visit, visitBody } from '../contract/track.js';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The longest UTM value or click id kept from a visit, in UTF-16 units (as the body's own fields). */
const MAX_VALUE_LENGTH = 200;
/** The longest page (origin and path, serialised) kept from a visit. */
const MAX_PAGE_LENGTH = 2048;

/** The visited page when it is an http(s) URL: a `javascript:` or `data:` "page" is none. */
function httpPage(url: string | undefined): URL | null {
  if (url === undefined || !URL.canParse(url)) return null;
  const page = new URL(url);
  return page.protocol === 'http:' || page.protocol === 'https:' ? page : null;
}

/** At most `max` units, never ending in half a surrogate pair. */
function capped(value: string | undefined, max = MAX_VALUE_LENGTH): string | undefined {
  if (value === undefined || value.length <= max) return value;
  return value
    .slice(0, max)
    .toWellFormed()
    .replace(/\uFFFD$/, '');
}

/**
 * Landing-page visits (the denominator of `chat_start_rate`): `POST /api/track/visit` from the
 * README's snippet and `GET /p.gif` for pages that can't run scripts. No cookies either way.
 * Public, and open to every origin (CORS) because landing pages live on other sites.
 */
export function trackRoutes(codec: RefCodec, salt: DailySalt) {
  return (app: ZodApp, ctx: AppContext): void => {
    async function record(request: FastifyRequest, v: Visit): Promise<void> {
      const page = httpPage(v.url);
      const fromUrl = page?.searchParams ?? null;
      // Values read out of the page URL are capped like the fields sent on their own.
      const pick = (key: keyof Visit) => capped(v[key] ?? fromUrl?.get(key) ?? undefined);
      const token = pick('cm_click');
      const clickNumber = token ? codec.decode(token) : undefined;
      const now = ctx.now();
      const s = await salt.get(now);
      const url = page === null ? null : (capped(`${page.origin}${page.pathname}`, MAX_PAGE_LENGTH) ?? null);
      await recordVisit(ctx.store.db, clickNumber, {
        at: now,
        visitorHash: visitorHash(s, request.ip, request.headers['user-agent'] ?? ''),
        url,
        referrerHost: referrerHost(v.referrer),
        utm: {
          source: pick('utm_source'),
          medium: pick('utm_medium'),
          campaign: pick('utm_campaign'),
          term: pick('utm_term'),
          content: pick('utm_content'),
        },
      });
    }

    app.options(
      '/api/track/visit',
      {
        config: { role: 'public' },
        helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
        schema: { hide: true },
      },
      async (_request, reply) =>
        reply
          .header('access-control-allow-origin', '*')
          .header('access-control-allow-methods', 'POST')
          .header('access-control-allow-headers', 'content-type')
          .status(204)
          .send(),
    );
    app.post(
      '/api/track/visit',
      {
        config: { role: 'public', limitPerClient: true },
        // Landing pages on other origins load the pixel and post the beacon.
        helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
        schema: {
          tags: ['track'],
          summary: 'Record a landing-page visit',
          security: [],
          body: visitBody,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await record(request, request.body);
        return reply.header('access-control-allow-origin', '*').status(204).send(null);
      },
    );
    app.get(
      '/p.gif',
      {
        config: { role: 'public', limitPerClient: true },
        // Landing pages on other origins load the pixel and post the beacon.
        helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
        schema: {
          tags: ['track'],
          summary: 'Record a landing-page visit (1×1 GIF)',
          security: [],
          querystring: pixelQuery,
        },
      },
      async (request, reply) => {
        await record(request, request.query);
        return reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL);
      },
    );
  };
}
