import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createRefCodec, type RefCodec } from './domain/ref-token.js';
import { createApp } from './http/app.js';
import { createMetrics, linkCacheCounter, redirectCounter } from './http/metrics.js';
import { failOpenReporter, memoryRateLimiter, redisRateLimiter } from './http/rate-limit.js';
import { campaignRoutes } from './http/routes/campaigns.js';
import { keyRoutes } from './http/routes/keys.js';
import { linkRoutes } from './http/routes/links.js';
import { redirectRoutes } from './http/routes/redirect.js';
import { settingsRoutes } from './http/routes/settings.js';
import { systemRoutes } from './http/routes/system.js';
import { trackRoutes } from './http/routes/track.js';
import { ClickNumbers } from './redirect/click-numbers.js';
import { DailySalt } from './redirect/daily-salt.js';
import { answerRedirects, outcomeOf, redirectFastPath } from './redirect/http.js';
import { ClickJournal } from './redirect/journal.js';
import { ClickLimit } from './redirect/click-limit.js';
import { LinkCache } from './redirect/link-cache.js';
import { ClickSpill } from './redirect/spill.js';
import { createRedirector, type Redirector } from './redirect/redirector.js';
import { ensureAdminKey } from './services/keys.service.js';
import { RESERVED_CODES } from './services/links.service.js';
import { isStoreUnavailable } from './store/availability.js';
import { ConnectionState } from './store/connection-state.js';
import type { StoreDb } from './store/dialect.js';
import { openStore } from './store/open-store.js';
import { createRedisClients } from './store/redis-client.js';
import {
  getOrCreateSetting,
  REF_TOKEN_KEY_SETTING,
  reserveSequenceBlock,
} from './store/settings.repository.js';
import { openIdentityHasher } from './services/identity-key.js';
import { secretKeySource } from './services/secret-key.js';
import { eventRoutes } from './http/routes/events.js';
import { spendRoutes } from './http/routes/spend.js';
import { webhookRoutes } from './http/routes/webhooks.js';
import { reportRoutes } from './http/routes/reports.js';
import { dashboardRoutes } from './http/routes/dashboard.js';
import { experimentRoutes } from './http/routes/experiments.js';

export interface Server {
  readonly app: FastifyInstance;
  readonly store: StoreDb;
  readonly codec: RefCodec;
  readonly journal: ClickJournal;
  /** The redirect itself (what `GET /:code` runs), for benchmarks that leave HTTP out. */
  readonly redirect: Redirector;
  /** The pub/sub connection that hears other servers' link changes (tests cut it to lose messages). */
  readonly subscriber: Redis | undefined;
  /** Set on the first start with no key: the generated admin key, to print once. */
  readonly generatedAdminKey: string | null;
  /** Stops taking requests, commits the journal, closes Redis and the store. */
  close(): Promise<void>;
}

export interface ServerOptions {
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  now?: () => number;
  /** Click numbers reserved per block (5,000); tests make it small to run out during an outage. */
  clickBlockSize?: number;
}

/**
 * The composition root: store → keys → ref codec → cache, journal, redirect → HTTP app. Tests
 * build the same server and use `app.inject`; `serve` listens on a port.
 */
export async function buildServer(config: Config, options: ServerOptions = {}): Promise<Server> {
  const now = options.now ?? Date.now;
  const metrics = createMetrics();
  const storeState = new ConnectionState(config.store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite', (up) =>
    metrics.storeUp.set(up ? 1 : 0),
  );
  const store = await openStore(config.store, { state: storeState });
  storeState.markUp();
  const { admin, codec, identities } = await (async () => ({
    admin: await ensureAdminKey(store.db, config.bootstrapApiKey, now()),
    codec: createRefCodec(
      await getOrCreateSetting(store.db, REF_TOKEN_KEY_SETTING, () => randomBytes(32).toString('base64url')),
    ),
    // A missing CHATMARK_SECRET_KEY on PostgreSQL fails here, naming it (after the store opened,
    // so that an unreachable database is reported as such first).
    identities: await openIdentityHasher(store.db, secretKeySource(config)),
  }))().catch(async (error: unknown) => {
    // A start refused here (a key that clashes, a wrong secret) leaves nothing open behind it.
    await store.close();
    throw error;
  });

  // Redis is optional: the server starts and serves while it is away (see createRedisClients).
  const redisClients = config.redisUrl
    ? createRedisClients(config.redisUrl, { onStateChange: (up) => metrics.redisUp.set(up ? 1 : 0) })
    : undefined;
  if (!redisClients) metrics.registry.removeSingleMetric('chatmark_redis_up');
  redisClients?.connect();
  const redis = redisClients?.client;
  const subscriber = redisClients?.subscriber;
  // Redis being away fails every cache miss: one line says so, not one per request.
  let lastWarning = 0;
  const warnAtMostEvery10s = (details: object, message: string) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    app.log.warn(details, message);
  };
  const links = new LinkCache({
    db: store.db,
    redis,
    redisPrefix: config.redisPrefix,
    onLookup: linkCacheCounter(metrics),
    onError: (error, code) => {
      metrics.linkCacheErrors.inc();
      warnAtMostEvery10s({ err: error, code }, 'link cache: Redis or the store failed');
    },
  });
  const limit = new ClickLimit({
    db: store.db,
    redis,
    redisPrefix: config.redisPrefix,
    onFallback: (error) =>
      warnAtMostEvery10s(
        { err: error },
        'click limit: Redis or the store failed; using the other, or letting the click through',
      ),
  });
  if (subscriber) {
    subscriber.on('message', (_channel: string, code: string) => links.forget(code));
    // Waits for the subscription when Redis is there (so changes are heard from the first
    // request), but not for long when it isn't: the subscription is renewed once it connects.
    await Promise.race([subscriber.subscribe(links.channel).catch(() => undefined), delay(1_000)]);
  }

  const journal = new ClickJournal({
    write: (batch) => store.writeClicks(batch),
    spill: await ClickSpill.open(join(config.dataDir, 'spill')),
    replay: (batch) => store.replayClicks(batch),
    // A commit normally takes milliseconds; past this the redirects waiting on it are answered
    // from the spill (the adapters bound their lock waits below this).
    commitTimeoutMs: 1000,
    // Under a steady stream the clicks of a millisecond share one commit: a commit per event-loop
    // turn wrote ~150 MB of WAL a second at 24,000 clicks/s (a few pages for one or two clicks),
    // and the checkpoint that copies it stalled the redirects for 50-100 ms. An idle journal, or
    // one with a batch's worth waiting, commits at the end of the turn.
    minIntervalMs: 1,
    fullBatch: 16,
    onCommit: (size, seconds) => {
      metrics.clicksJournaled.inc(size);
      metrics.journalFlush.observe(seconds);
      metrics.journalBatch.observe(size);
    },
    onError: (error, size) =>
      app.log.error(
        { err: error, clicks: size },
        size > 0 ? 'click journal commit failed; the clicks are spilled to disk' : 'click replay failed',
      ),
    onSpill: (size) => metrics.clicksSpilled.inc(size),
    onReplay: (size) => {
      metrics.clicksReplayed.inc(size);
      app.log.warn({ clicks: size }, 'spilled clicks written back into the store');
    },
  });
  const salt = new DailySalt(store.db);
  const clickNumbers = new ClickNumbers(
    (size) => reserveSequenceBlock(store.db, 'click', size),
    options.clickBlockSize,
  );
  const redirect = createRedirector({ links, limit, codec, clickNumbers, journal, salt, now });
  const invalidate = (code: string) => links.invalidate(code);

  // Always on (each limit is off at 0); with Redis shared by every server, failing open.
  const limiter = redis
    ? redisRateLimiter(redis, config.redisPrefix, {
        onError: failOpenReporter(
          (error, failures) =>
            app.log.warn({ err: error, failures }, 'rate limiter: Redis failed; requests are let through'),
          () => metrics.rateLimitErrors.inc(),
        ),
      })
    : memoryRateLimiter();

  const countRedirect = redirectCounter(metrics);
  const answerRedirect = answerRedirects(redirect, {
    trustedHops: config.trustProxy,
    onResult: (result) => countRedirect(outcomeOf(result)),
    // A redirect that needed the store while it is away (a link not cached yet) is the outage,
    // already reported once, not a new error per request.
    onError: (error) =>
      isStoreUnavailable(error)
        ? storeState.markDown(error)
        : app.log.error({ err: error }, 'redirect failed'),
  });
  const fastPath = redirectFastPath(answerRedirect, RESERVED_CODES);

  const { app } = await createApp({
    fastPath,
    config,
    store,
    now,
    metrics,
    limiter,
    logger: options.logger,
    onStoreUnavailable: (error) => storeState.markDown(error),
    routes: [
      systemRoutes({ redis: redisClients?.state }),
      keyRoutes,
      settingsRoutes,
      campaignRoutes(async (codes) => {
        for (const code of codes) await invalidate(code);
      }),
      linkRoutes(codec, invalidate),
      trackRoutes(codec, salt),
      eventRoutes({ store, codec, identities }),
      spendRoutes(identities),
      webhookRoutes({ store, codec, identities }),
      reportRoutes,
      experimentRoutes(),
      dashboardRoutes,
      // Last: `/:code` must not shadow anything registered above.
      redirectRoutes(answerRedirect),
    ],
  });

  // Clicks spilled before a crash or a stop go back first; if the store refuses them now, the
  // journal keeps retrying in the background and new clicks join the spill meanwhile.
  if (journal.spilling) await journal.replay().catch(() => undefined);
  storeState.attach(app.log);
  redisClients?.state.attach(app.log);
  if (admin.created === 'restored') {
    // Said once, so that an operator who revoked it on purpose sees why it works again.
    app.log.warn('CHATMARK_API_KEY had been revoked or demoted; it is an active admin key again');
  }

  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    codec,
    journal,
    redirect,
    subscriber,
    generatedAdminKey: admin.secret,
    close() {
      closing ??= (async () => {
        await app.close();
        links.close();
        await journal.close();
        await redisClients?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
