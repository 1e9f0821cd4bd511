import net from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../test/support/api-tokens.js';
import {
  addAgent,
  createWidget,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import {
  jpegWithExif,
  pdf,
  png,
  svgWithScript,
  windowsExecutable,
} from '../../../test/support/sample-files.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer } from '../../../test/support/test-server.js';
import { RATE_LIMIT_NAMES } from '../../platform/http/rate-limits.js';

interface Sent {
  status: number;
  headers: Headers;
  body: Buffer;
  json: any;
}

/**
 * Uploads and downloads over HTTP: who may send a file where, who may fetch it, and how it is served
 * (its checked media type, nosniff, a sandboxing CSP, a download unless it is a raster image).
 */
describe.each(DIALECTS)('attachment routes (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const send = async (
    method: string,
    path: string,
    o: {
      bytes?: Buffer;
      name?: string;
      cookie?: string;
      bearer?: string;
      origin?: string | null;
      type?: string;
    },
  ): Promise<Sent> => {
    const headers: Record<string, string> = {};
    if (o.origin !== null) headers.origin = o.origin ?? s.server.origin;
    if (o.cookie) headers.cookie = o.cookie;
    if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
    if (o.bytes) headers['content-type'] = o.type ?? 'application/octet-stream';
    if (o.name) headers['x-file-name'] = encodeURIComponent(o.name);
    const res = await fetch(s.server.url + path, {
      method,
      headers,
      ...(o.bytes ? { body: new Uint8Array(o.bytes) } : {}),
    });
    const body = Buffer.from(await res.arrayBuffer());
    let json: any = null;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      /* a file */
    }
    return { status: res.status, headers: res.headers, body, json };
  };
  const visitorUpload = (credential: string, conversationId: string, bytes: Buffer, name: string) =>
    send('POST', `/api/v1/visitor/conversations/${conversationId}/attachments`, {
      bytes,
      name,
      bearer: credential,
    });
  const agentDownload = (id: string, cookie = s.admin.cookie) =>
    send('GET', `${ws()}/attachments/${id}`, { cookie });

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'operator@example.com');
  });
  afterAll(async () => s?.close());

  it('a visitor sends an image and a PDF; an administrator sees the image in place and downloads the PDF', async () => {
    const photo = await visitorUpload(
      s.visitor.credential,
      s.visitor.conversationId,
      await jpegWithExif(),
      'Photo ✓.jpg',
    );
    expect(photo.status, photo.body.toString()).toBe(201);
    expect(photo.json).toMatchObject({
      name: 'Photo ✓.jpg',
      kind: 'jpeg',
      mediaType: 'image/jpeg',
      width: 64,
      height: 48,
    });
    const invoice = await visitorUpload(s.visitor.credential, s.visitor.conversationId, pdf(), 'invoice.pdf');
    expect(invoice.status).toBe(201);

    const image = await agentDownload(photo.json.id);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('content-disposition')).toBe(
      `inline; filename="Photo _.jpg"; filename*=UTF-8''${encodeURIComponent('Photo ✓.jpg')}`,
    );
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect((await sharp(image.body).metadata()).exif).toBeUndefined();

    const file = await agentDownload(invoice.json.id);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    expect(file.body.equals(pdf())).toBe(true);

    // The visitor fetches their own files with their credential, never through a bare URL.
    const own = await send(
      'GET',
      `/api/v1/visitor/conversations/${s.visitor.conversationId}/attachments/${invoice.json.id}`,
      {
        bearer: s.visitor.credential,
      },
    );
    expect(own.status).toBe(200);
    expect(own.body.equals(pdf())).toBe(true);
    const bare = await send(
      'GET',
      `/api/v1/visitor/conversations/${s.visitor.conversationId}/attachments/${invoice.json.id}`,
      {},
    );
    expect(bare.status).toBe(401);
    expect((await send('GET', `${ws()}/attachments/${invoice.json.id}`, {})).status).toBe(401);
  });

  it('the widget frame uploads and fetches with its widget’s visitor cookie, for its own conversation only', async () => {
    const { conversationId, credential } = s.visitor;
    const cookie = `__Host-parley_visitor_${s.widget.id}=${credential}`;
    const base = `/api/v1/visitor/conversations/${conversationId}/attachments`;
    const sent = await send('POST', `${base}?widgetId=${s.widget.id}`, {
      bytes: await png(20, 10),
      name: 'screen.png',
      cookie,
    });
    expect(sent.status, sent.body.toString()).toBe(201);
    // An <img> sends no Origin: the cookie and the widget's id are enough for the visitor's own file.
    const shown = await send('GET', `${base}/${sent.json.id}?widgetId=${s.widget.id}`, {
      cookie,
      origin: null,
    });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect((await sharp(shown.body).metadata()).width).toBe(20);
    expect(shown.headers.get('content-disposition')).toMatch(/^inline;/);
    // Saving it: the same file, as an attachment, so following the link never replaces the chat.
    const saved = await send('GET', `${base}/${sent.json.id}?widgetId=${s.widget.id}&download=1`, { cookie });
    expect(saved.headers.get('content-disposition')).toMatch(/^attachment; filename="screen.png"/);
    expect(saved.body.equals(shown.body)).toBe(true);
    // Without naming the widget the cookie is not read; another widget's name does not fit it.
    expect((await send('GET', `${base}/${sent.json.id}`, { cookie, origin: null })).status).toBe(401);
    const elsewhere = await createWidget(s.server, s.admin);
    const wrong = await send('GET', `${base}/${sent.json.id}?widgetId=${elsewhere.id}`, {
      cookie: `__Host-parley_visitor_${elsewhere.id}=${credential}`,
    });
    expect(wrong.status).toBe(401);
    // Another visitor of the same widget, with their own cookie, finds nothing there.
    const other = await startVisitor(s.server, s.widget);
    const theirs = await send('GET', `${base}/${sent.json.id}?widgetId=${s.widget.id}`, {
      cookie: `__Host-parley_visitor_${s.widget.id}=${other.credential}`,
    });
    expect(theirs.status).toBe(404);
    // A page of a site the widget does not allow is refused, cookie or not.
    const foreign = await send('POST', `${base}?widgetId=${s.widget.id}`, {
      bytes: await png(8, 8),
      name: 'x.png',
      cookie,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses an SVG with script and a renamed executable, with their codes', async () => {
    const svg = await visitorUpload(
      s.visitor.credential,
      s.visitor.conversationId,
      svgWithScript(),
      'cat.png',
    );
    expect(svg.status).toBe(415);
    expect(svg.json.error.code).toBe('attachment_type_not_allowed');
    const exe = await visitorUpload(
      s.visitor.credential,
      s.visitor.conversationId,
      windowsExecutable(),
      'invoice.pdf',
    );
    expect(exe.json.error.code).toBe('attachment_type_not_allowed');
    const big = await visitorUpload(
      s.visitor.credential,
      s.visitor.conversationId,
      Buffer.alloc(s.server.config.attachments.maxFileBytes + 1, 0x61),
      'big.txt',
    );
    expect(big.status).toBe(413);
    expect(big.json.error).toMatchObject({
      code: 'attachment_too_large',
      message: 'This file is larger than the limit for one file. Send a smaller file.',
    });
  });

  it('keeps everyone to the conversations they may read and write', async () => {
    const other = await startVisitor(s.server, s.widget);
    const mine = await visitorUpload(
      s.visitor.credential,
      s.visitor.conversationId,
      Buffer.from('mine'),
      'mine.txt',
    );
    expect(mine.status).toBe(201);
    // Another visitor: not into this conversation, not its files.
    const into = await visitorUpload(other.credential, s.visitor.conversationId, Buffer.from('x'), 'x.txt');
    expect(into.status).toBe(404);
    expect(into.json.error.code).toBe('conversation_not_found');
    const peek = await send(
      'GET',
      `/api/v1/visitor/conversations/${s.visitor.conversationId}/attachments/${mine.json.id}`,
      {
        bearer: other.credential,
      },
    );
    expect(peek.status).toBe(404);
    const sideways = await send(
      'GET',
      `/api/v1/visitor/conversations/${other.conversationId}/attachments/${mine.json.id}`,
      {
        bearer: other.credential,
      },
    );
    expect(sideways.status).toBe(404);

    // An operator reaches only conversations assigned to them or queued for them.
    expect((await agentDownload(mine.json.id, operator.cookie)).status).toBe(404);
    const opUpload = await send('POST', `${ws()}/conversations/${s.visitor.conversationId}/attachments`, {
      bytes: Buffer.from('hello'),
      name: 'a.txt',
      cookie: operator.cookie,
    });
    expect(opUpload.status).toBe(404);

    // Another workspace's id in the path: the administrator is not a member there.
    const foreign = await send('GET', `/api/v1/workspaces/${s.widget.id}/attachments/${mine.json.id}`, {
      cookie: s.admin.cookie,
    });
    expect([403, 404]).toContain(foreign.status);
  });

  it('takes agent uploads only same-origin and as bytes; API tokens need messages:write', async () => {
    const path = `${ws()}/conversations/${s.visitor.conversationId}/attachments`;
    const ok = await send('POST', path, { bytes: await png(), name: 'screen.png', cookie: s.admin.cookie });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ kind: 'png', name: 'screen.png' });
    const crossSite = await send('POST', path, {
      bytes: await png(),
      cookie: s.admin.cookie,
      origin: 'https://evil.example',
    });
    expect(crossSite.json.error.code).toBe('cross_origin_refused');
    const asForm = await send('POST', path, {
      bytes: Buffer.from('a=b'),
      cookie: s.admin.cookie,
      type: 'text/plain',
    });
    expect(asForm.status).toBe(415);
    const asJson = await send('POST', path, {
      bytes: Buffer.from('{}'),
      cookie: s.admin.cookie,
      type: 'application/json',
    });
    expect(asJson.status).toBe(400);

    const writer = await createToken(s.server, s.admin, ['messages:write', 'conversations:read']);
    const reader = await createToken(s.server, s.admin, ['conversations:read']);
    const byToken = await send('POST', path, {
      bytes: pdf('from the site'),
      name: 'order.pdf',
      bearer: writer.token,
      origin: null,
    });
    expect(byToken.status).toBe(201);
    const refused = await send('POST', path, {
      bytes: pdf(),
      name: 'order.pdf',
      bearer: reader.token,
      origin: null,
    });
    expect(refused.status).toBe(403);
    const fetched = await send('GET', `${ws()}/attachments/${byToken.json.id}`, {
      bearer: reader.token,
      origin: null,
    });
    expect(fetched.status).toBe(200);
    expect(fetched.body.equals(pdf('from the site'))).toBe(true);
    // Without visitors:read a token sees names masked and does not open what the visitor sent.
    const visitorFile = await visitorUpload(
      s.visitor.credential,
      s.visitor.conversationId,
      Buffer.from('call +44 7700 900461'),
      'phone +44 7700 900461.txt',
    );
    const masked = await send('GET', `${ws()}/attachments/${visitorFile.json.id}`, {
      bearer: reader.token,
      origin: null,
    });
    expect(masked.status).toBe(403);
    expect(masked.json.error.code).toBe('attachment_masked');
  });

  it('administrators choose the kinds a workspace accepts, audited; other roles may not', async () => {
    const path = `${ws()}/attachment-settings`;
    const json = (cookie: string, method: string, body?: unknown) =>
      fetch(s.server.url + path, {
        method,
        headers: { origin: s.server.origin, cookie, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const initial = (await (await json(s.admin.cookie, 'GET')).json()) as {
      updatedAt: string | null;
      allowedKinds: string[];
    };
    expect(initial.updatedAt).toBeNull();
    expect(initial.allowedKinds).toContain('png');
    expect((await json(operator.cookie, 'PUT', { allowedKinds: ['png'] })).status).toBe(403);
    const narrowed = await json(s.admin.cookie, 'PUT', { allowedKinds: ['pdf', 'text'] });
    expect(narrowed.status).toBe(200);
    expect(await narrowed.json()).toMatchObject({
      allowedKinds: ['pdf', 'text'],
      updatedAt: expect.any(String),
    });
    const image = await visitorUpload(s.visitor.credential, s.visitor.conversationId, await png(), 'a.png');
    expect(image.status).toBe(415);
    expect(image.json.error.details).toEqual(['accepted here: PDF document, Text file']);
    const audited = await s.server.db.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'attachments.settings_changed')
      .execute();
    expect(audited).toHaveLength(1);
    expect((await json(s.admin.cookie, 'PUT', { allowedKinds: initial.allowedKinds })).status).toBe(200);
    expect(
      (await visitorUpload(s.visitor.credential, s.visitor.conversationId, await png(), 'a.png')).status,
    ).toBe(201);
  });

  it('stores nothing of an upload cut off half way', async () => {
    const before = await s.server.db.db.selectFrom('attachments').select('id').execute();
    const url = new URL(
      `${s.server.url}/api/v1/visitor/conversations/${s.visitor.conversationId}/attachments`,
    );
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(
          [
            `POST ${url.pathname} HTTP/1.1`,
            `Host: ${url.host}`,
            `Origin: ${s.server.origin}`,
            `Authorization: Bearer ${s.visitor.credential}`,
            'Content-Type: application/octet-stream',
            'Content-Length: 200000',
            '',
            'half of a file',
          ].join('\r\n'),
          () => setTimeout(() => socket.destroy(), 200),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await expect
      .poll(async () => (await s.server.db.db.selectFrom('attachments').select('id').execute()).length)
      .toBe(before.length);
  });
});

describe('uploads per visitor', () => {
  it('refuses a visitor past their upload budget, whatever address they use, and not others', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await startTestServer({
      database,
      env: {
        PARLEY_RATE_LIMITS: RATE_LIMIT_NAMES.map((n) =>
          n === 'visitor-uploads' ? `${n}=2/60` : `${n}=1000000/60`,
        ).join(','),
      },
    });
    try {
      const admin = await setupAdmin(server);
      const widget = await createWidget(server, admin);
      const one = await startVisitor(server, widget);
      const two = await startVisitor(server, widget);
      const up = (v: typeof one) =>
        fetch(`${server.url}/api/v1/visitor/conversations/${v.conversationId}/attachments`, {
          method: 'POST',
          headers: {
            origin: server.origin,
            authorization: `Bearer ${v.credential}`,
            'content-type': 'application/octet-stream',
          },
          body: 'a note',
        });
      expect((await up(one)).status).toBe(201);
      expect((await up(one)).status).toBe(201);
      const third = await up(one);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect((await up(two)).status).toBe(201);
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
