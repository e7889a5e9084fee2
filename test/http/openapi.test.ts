import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTRIBUTION_MODELS } from '../../src/domain/attribution/types.js';
import { DECISION_METRICS } from '../../src/domain/stats/compare.js';
import { ATTRIBUTION_GROUP_BYS, GROUP_BYS } from '../../src/domain/reports/params.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { BACKENDS } from '../support/services.js';

interface Operation {
  parameters?: { in: string; name: string; schema?: { enum?: unknown[] } }[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

/** Routes in the document that answer no JSON, each with the reason. */
const NOT_JSON: Readonly<Record<string, string>> = {
  'GET /{code}': 'the short link: a 302 (or the app-open page), never JSON',
  'GET /p.gif': 'the tracking pixel: a 1×1 GIF',
};

/**
 * The API contract is the document: /openapi.json, read through the real app (the composition root
 * `serve` uses), gives every JSON route a schema for each 2xx it answers, and lists the closed
 * query values. The document does not depend on the store, so SQLite is enough.
 */
describe('OpenAPI document', () => {
  let t: TestServer;
  let paths: Paths;
  const sqlite = BACKENDS.find((b) => b.name === 'sqlite');
  beforeAll(async () => {
    if (!sqlite) throw new Error('no sqlite backend');
    t = await startTestServer(sqlite);
    const response = await t.call('GET', '/openapi.json', undefined, { key: null });
    expect(response.statusCode).toBe(200);
    paths = (response.json() as { paths: Paths }).paths;
  });
  afterAll(async () => t?.close());

  const operations = () =>
    Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );
  const query = (route: string, name: string) => {
    const [method = '', path = ''] = route.split(' ');
    return paths[path]?.[method.toLowerCase()]?.parameters?.find((p) => p.in === 'query' && p.name === name);
  };

  it('gives every JSON route a response schema for a 2xx answer', () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(40);
    const missing = all
      .filter(({ route }) => NOT_JSON[route] === undefined)
      .filter(({ operation }) => {
        const ok = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        // A 204 has no body to describe; every other 2xx describes its JSON.
        return !ok.some(
          ([status, response]) =>
            status === '204' || Object.values(response.content ?? {}).some((c) => c.schema),
        );
      })
      .map(({ route }) => route);
    expect(missing).toEqual([]);
  });

  it('lists the routes it excuses, so a removed one cannot hide a new gap', () => {
    const routes = new Set(operations().map(({ route }) => route));
    expect(Object.keys(NOT_JSON).filter((route) => !routes.has(route))).toEqual([]);
  });

  it('lists the closed sets of query values', () => {
    expect(query('GET /api/reports/funnel', 'groupBy')?.schema?.enum).toEqual([...GROUP_BYS]);
    expect(query('GET /api/reports/funnel', 'model')?.schema?.enum).toEqual([...ATTRIBUTION_MODELS]);
    expect(query('GET /api/reports/attribution', 'groupBy')?.schema?.enum).toEqual([
      ...ATTRIBUTION_GROUP_BYS,
    ]);
    expect(query('GET /api/reports/attribution', 'model')?.schema?.enum).toEqual([...ATTRIBUTION_MODELS]);
    expect(query('GET /api/campaigns/{id}/reviews', 'metric')?.schema?.enum).toEqual([...DECISION_METRICS]);
    expect(query('GET /api/links', 'archived')?.schema?.enum).toEqual(['true', 'false']);
  });

  it.each([
    ['/api/reports/funnel?groupBy=week', 'invalid_group_by', 'groupBy'],
    ['/api/reports/attribution?groupBy=link', 'invalid_group_by', 'groupBy'],
    ['/api/reports/funnel?model=u_shaped', 'invalid_model', 'model'],
    ['/api/reports/attribution?model=u_shaped', 'invalid_model', 'model'],
  ])('refuses %s with its own code (%s), as before the values were listed', async (url, code, field) => {
    const response = await t.call('GET', url);
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code, field });
  });
});
