import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/error-codes.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../support/server.js';
import { describeEachBackend } from '../support/services.js';

describeEachBackend('HTTP API: auth, errors, system routes', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    if (!backend.skipReason) t = await startTestServer(backend);
  });
  afterAll(async () => t?.close());

  describe('API keys and roles', () => {
    it('refuses a missing or unknown key with 401 and the error shape', async () => {
      const none = await t.call('GET', '/api/campaigns', undefined, { key: null });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      const wrong = await t.call('GET', '/api/campaigns', undefined, {
        key: `${ADMIN_KEY.slice(0, 11)}wrong-secret-000000`,
      });
      expect(wrong.statusCode).toBe(401);
    });

    it('lets an admin create keys whose role limits them, and revoke them', async () => {
      const created = await t.call('POST', '/api/keys', { name: 'reporting', role: 'viewer' });
      expect(created.statusCode).toBe(201);
      const { secret, key } = created.json();
      expect(secret).toMatch(/^cm_/);
      expect(key).toMatchObject({ role: 'viewer', name: 'reporting', revokedAt: null });
      expect(JSON.stringify(key)).not.toContain(secret);

      expect((await t.call('GET', '/api/campaigns', undefined, { key: secret })).statusCode).toBe(200);
      const write = await t.call('POST', '/api/campaigns', { name: 'x', owner: 'y' }, { key: secret });
      expect(write.statusCode).toBe(403);
      expect(write.json().error.code).toBe('forbidden');
      expect((await t.call('GET', '/api/keys', undefined, { key: secret })).statusCode).toBe(403);

      const editor = (await t.call('POST', '/api/keys', { name: 'ops', role: 'editor' })).json();
      expect(
        (
          await t.call(
            'POST',
            '/api/campaigns',
            { name: 'Editor made', owner: 'ops' },
            { key: editor.secret },
          )
        ).statusCode,
      ).toBe(201);
      expect(
        (await t.call('POST', '/api/keys', { name: 'x', role: 'admin' }, { key: editor.secret })).statusCode,
      ).toBe(403);

      expect((await t.call('DELETE', `/api/keys/${key.id}`)).json().revokedAt).not.toBeNull();
      expect((await t.call('GET', '/api/campaigns', undefined, { key: secret })).statusCode).toBe(401);
      const listed = (await t.call('GET', '/api/keys')).json().keys;
      expect(listed.map((k: { name: string }) => k.name)).toContain('reporting');
      expect(JSON.stringify(listed)).not.toContain('hash');
    });
  });

  describe('one error shape', () => {
    it.each([
      ['an unknown route', 'GET', '/api/nope', undefined, 404, 'route_not_found'],
      ['a body that is not JSON', 'POST', '/api/campaigns', '{"name":', 400, 'invalid_json'],
      ['a missing field', 'POST', '/api/campaigns', { owner: 'ana' }, 422, 'invalid_request'],
      [
        'an unknown field',
        'POST',
        '/api/campaigns',
        { name: 'a', owner: 'b', colour: 'red' },
        422,
        'invalid_request',
      ],
    ])('answers %s with %i %s', async (_what, method, url, body, status, code) => {
      const response = await t.server.app.inject({
        method: method as 'GET' | 'POST',
        url,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      expect(response.statusCode).toBe(status);
      expect(response.json().error.code).toBe(code);
      expect(response.json().error.message).toEqual(expect.any(String));
    });

    it('names the field of a validation error', async () => {
      const response = await t.call('POST', '/api/campaigns', { owner: 'ana' });
      expect(response.json().error.field).toBe('name');
    });

    it('refuses bodies over 1 MB with 413', async () => {
      const response = await t.call('POST', '/api/campaigns', {
        name: 'big',
        owner: 'x',
        notes: 'x'.repeat(1_100_000),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().error.code).toBe('payload_too_large');
    });
  });

  describe('system routes', () => {
    it('answers /healthz with the store in use', async () => {
      const response = await t.call('GET', '/healthz', undefined, { key: null });
      expect(response.json()).toEqual({ status: 'ok', store: backend.name });
    });

    it('publishes an OpenAPI document generated from the route schemas, and docs', async () => {
      const doc = (await t.call('GET', '/openapi.json', undefined, { key: null })).json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/links',
          '/api/links/preview',
          '/api/campaigns/{id}/changelog',
          '/healthz',
        ]),
      );
      expect(
        doc.paths['/api/links'].post.requestBody.content['application/json'].schema.properties.channel.enum,
      ).toContain('whatsapp');
      const docs = await t.call('GET', '/docs', undefined, { key: null });
      expect([200, 302]).toContain(docs.statusCode);
    });

    it("documents the error answers as the Error schema, whose code is the catalogue's enum", async () => {
      const doc = (await t.call('GET', '/openapi.json', undefined, { key: null })).json();
      expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(ERROR_CODES);
      const error = { $ref: '#/components/schemas/Error' };
      for (const status of ['4XX', '5XX']) {
        expect(doc.paths['/api/links'].post.responses[status].content['application/json'].schema).toEqual(
          error,
        );
        expect(
          doc.paths['/api/campaigns/{id}'].get.responses[status].content['application/json'].schema,
        ).toEqual(error);
      }
    });

    it('serves the dashboard at / and its deep links under /app/ (npm test builds it first)', async () => {
      const home = await t.call('GET', '/', undefined, { key: null });
      expect(home.statusCode).toBe(200);
      expect(home.headers['content-type']).toContain('text/html');
      expect(home.body).toContain('<div id="root"></div>');
      expect(home.body).toMatch(/<script type="module"[^>]+src="\/assets\/[^"]+\.js"/);
      const deep = await t.call('GET', '/app/campaigns/1', undefined, { key: null });
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toBe(home.body);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(home.body)?.[1];
      expect((await t.call('GET', String(asset), undefined, { key: null })).statusCode).toBe(200);
    });

    it('exposes Prometheus metrics', async () => {
      const response = await t.call('GET', '/metrics', undefined, { key: null });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('chatmark_redirects_total');
      expect(response.body).toContain('chatmark_journal_flush_seconds');
    });
  });
});

describeEachBackend('HTTP API: unexpected errors', (backend) => {
  it('answers an unexpected failure with an opaque 500 that names the request id (the log has the details)', async (ctx) => {
    if (backend.skipReason) ctx.skip(backend.skipReason);
    const t = await startTestServer(backend);
    // Break the store underneath the app: the next query fails in a way no route expects.
    await t.server.store.db.schema
      .dropTable('campaigns')
      .cascade()
      .execute()
      .catch(async () => {
        await t.server.store.db.schema.dropTable('campaigns').execute();
      });
    const response = await t.call('GET', '/api/campaigns');
    expect(response.statusCode).toBe(500);
    const { error } = response.json();
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/^Internal error \(request [0-9a-f-]{36}\)$/);
    expect(response.body).not.toMatch(/campaigns|sqlite|relation|SQL/i);
    await t.close();
  });
});
