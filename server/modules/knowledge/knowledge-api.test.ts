import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article, KnowledgeHit } from '../../../protocol/knowledge-api.js';
import { addAgent, http, setupAdmin } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { checkStructured } from '../conversations/structured-content.js';

describe.each(DIALECTS)('knowledge base API and structured content (%s)', (dialect) => {
  let s: Scenario;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  beforeEach(async () => {
    s = await startScenario(dialect);
  });
  afterEach(async () => s.close());

  it('administrators write articles; operators read and search but cannot write', async () => {
    const created = await http<Article>(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: s.admin.cookie,
      body: {
        title: 'Return policy',
        body: 'Unused items can be returned within 30 days.',
        questions: ['Can I send it back?', '  ', 'Can I send it back?'],
        tags: ['returns'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      questions: ['Can I send it back?'],
      language: 'en',
      published: true,
    });

    const operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    const search = await http<{ items: KnowledgeHit[] }>(
      s.server,
      'GET',
      `${base()}/knowledge/search?q=${encodeURIComponent('how do I return an item')}`,
      { cookie: operator.cookie },
    );
    expect(search.status).toBe(200);
    expect(search.body.items[0]?.article.title).toBe('Return policy');
    const write = await http(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: operator.cookie,
      body: { title: 'x', body: 'y' },
    });
    expect(write.status).toBe(403);

    const id = created.body.id;
    const patched = await http<Article>(s.server, 'PATCH', `${base()}/knowledge/articles/${id}`, {
      cookie: s.admin.cookie,
      body: { published: false },
    });
    expect(patched.body.published).toBe(false);
    // Unpublished articles are listed for editors but never used to answer.
    const hidden = await http<{ items: KnowledgeHit[] }>(
      s.server,
      'GET',
      `${base()}/knowledge/search?q=return`,
      {
        cookie: s.admin.cookie,
      },
    );
    expect(hidden.body.items).toEqual([]);
    expect(
      (
        await http(s.server, 'DELETE', `${base()}/knowledge/articles/${id}`, {
          cookie: s.admin.cookie,
          body: {},
        })
      ).status,
    ).toBe(204);
    const gone = await http(s.server, 'GET', `${base()}/knowledge/articles/${id}`, {
      cookie: s.admin.cookie,
    });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('article_not_found');
  });

  it('refuses oversized or malformed articles with a clear error', async () => {
    const res = await http(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: s.admin.cookie,
      body: { title: 'x'.repeat(201), body: 'y', language: 'klingon' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('a second node sees an article change at its next search (knowledge version)', async () => {
    const database = await createTestDatabase(dialect);
    const nodeA = await startTestServer({ database });
    const nodeB = await startTestServer({ database, migrate: false });
    try {
      const admin = await setupAdmin(nodeA);
      const path = `/api/v1/workspaces/${admin.workspaceId}/knowledge`;
      const search = async (server: TestServer) =>
        (
          await http<{ items: KnowledgeHit[] }>(server, 'GET', `${path}/search?q=warranty`, {
            cookie: admin.cookie,
          })
        ).body.items.map((h) => h.article.title);
      expect(await search(nodeB)).toEqual([]); // B builds and caches its (empty) index
      await http(nodeA, 'POST', `${path}/articles`, {
        cookie: admin.cookie,
        body: { title: 'Warranty', body: 'Two years on electronics.' },
      });
      expect(await search(nodeB)).toEqual(['Warranty']);
    } finally {
      await nodeB.close();
      await nodeA.close();
      await database.drop();
    }
  });

  it('refuses links other than http(s) and mailto, at the API and for server-built content', async () => {
    const conversationId = s.visitor.conversationId;
    const send = (url: string) =>
      http(s.server, 'POST', `${base()}/conversations/${conversationId}/messages`, {
        cookie: s.admin.cookie,
        body: {
          clientId: `card_${randomUUID().replace(/-/g, '')}`,
          body: 'See this',
          parts: [{ type: 'card', title: 'Help', url }],
        },
      });
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:x',
      '//evil.example',
    ]) {
      const res = await send(bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const ok = await send('https://help.example.com/returns');
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect((await send('mailto:support@example.com')).status).toBe(201);
    expect(() =>
      checkStructured({ parts: [{ type: 'card', title: 'x', url: 'javascript:alert(1)' }] }),
    ).toThrow();
    const messages = await http(s.server, 'GET', `${base()}/conversations/${conversationId}/messages`, {
      cookie: s.admin.cookie,
    });
    const urls = messages.body.items.flatMap((m: { parts?: Array<{ url?: string }> }) =>
      (m.parts ?? []).map((p) => p.url),
    );
    expect(urls).toEqual(['https://help.example.com/returns', 'mailto:support@example.com']);
  });
});
