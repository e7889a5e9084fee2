import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { buildServer, type Server, type ServerOptions } from '../../src/server.js';
import { ADMIN_KEY, follow, listen } from './http.js';
import { type Backend, POSTGRES_URL } from './services.js';

export { ADMIN_KEY };
/** CHATMARK_SECRET_KEY, required on PostgreSQL (SQLite tests use DATA_DIR/secret.key). */
export const SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnop';

export interface TestServer {
  server: Server;
  /** `inject` with the admin key (or `key`) as a bearer token and JSON bodies. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD',
    url: string,
    body?: unknown,
    options?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /**
   * Follows a short link as a person's phone would (at the server's clock) and returns the click's
   * token: over a real socket, through the production entry point (the redirect's fast path).
   */
  click(code: string): Promise<string>;
  clock: { now: number };
  /** The environment the server was configured from: the CLI reads the same store with it. */
  env: Record<string, string>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * A real server (the composition root `serve` uses) on a fresh database of `backend`: a temporary
 * SQLite file, or a schema of its own on PostgreSQL that is dropped afterwards.
 */
export async function startTestServer(
  backend: Backend,
  env: Record<string, string> = {},
  clock = { now: Date.UTC(2026, 10, 23, 12, 0) },
  options: Pick<ServerOptions, 'logger' | 'clickBlockSize'> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'chatmark-test-'));
  const schema = `h_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`;
  const fullEnv: Record<string, string> = {
    DATA_DIR: dir,
    CHATMARK_API_KEY: ADMIN_KEY,
    CHATMARK_BASE_URL: 'https://cm.example',
    ...(backend.name === 'postgres' ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema } : {}),
    ...(backend.name === 'postgres' ? { CHATMARK_SECRET_KEY: SECRET_KEY } : {}),
    ...env,
  };
  const config = loadConfig(fullEnv);
  const server = await buildServer(config, {
    ...options,
    logger: options.logger ?? false,
    now: () => clock.now,
  });
  let base: Promise<string> | undefined;
  return {
    server,
    clock,
    env: fullEnv,
    call(method, url, body, options = {}) {
      const key = options.key === undefined ? ADMIN_KEY : options.key;
      return server.app.inject({
        method,
        url,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
    },
    async click(code) {
      base ??= listen(server);
      const response = await follow(await base, code);
      await response.arrayBuffer();
      const token = response.headers.get('x-chatmark-click');
      if (token === null) throw new Error(`GET /${code} recorded no click (${response.status})`);
      return token;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      if (backend.name === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    },
  };
}
