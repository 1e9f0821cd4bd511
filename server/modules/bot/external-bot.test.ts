import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import type { Message } from '../../../protocol/common.js';
import {
  connectVisitor,
  createWidget,
  http,
  type Probe,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { isPublicAddress, resolveOutboundTarget } from '../../platform/http/outbound-address.js';
import { HANDOFF_MESSAGE } from '../handoff/request-handoff.js';

/** The site's side: verifies every request's signature the way docs/PROTOCOL.md tells sites to. */
class SiteBot {
  server!: Server;
  secret = '';
  received: { event: Record<string, unknown>; verified: boolean; delivery: string }[] = [];
  respond: (event: Record<string, unknown>, res: ServerResponse) => void = (_e, res) =>
    json(res, 200, { replies: [] });

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/bot`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(req.headers['parley-timestamp']);
    const expected = `v1=${createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex')}`;
    const given = Buffer.from(String(req.headers['parley-signature']));
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
    const verified =
      fresh && given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
    const event = JSON.parse(raw) as Record<string, unknown>;
    this.received.push({ event, verified, delivery: String(req.headers['parley-delivery']) });
    if (!verified) return json(res, 401, { error: 'bad signature' });
    this.respond(event, res);
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('outbound address check', () => {
  it('refuses private, loopback, link-local, multicast, unspecified and IPv4-in-IPv6 forms', async () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a00:1',
      '2002:7f00:1::',
      '::127.0.0.1',
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['93.184.216.34', '1.1.1.1', '2606:4700::1111', '::ffff:1.1.1.1'])
      expect(isPublicAddress(ip), ip).toBe(true);
    for (const url of [
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://localhost/x',
      'https://169.254.169.254/latest/meta-data',
    ]) {
      await expect(resolveOutboundTarget(url, false), url).rejects.toThrow(/private, loopback or reserved/);
    }
    await expect(resolveOutboundTarget('http://93.184.216.34/x', true)).rejects.toThrow(/must be https/);
    await expect(resolveOutboundTarget('https://user:pw@93.184.216.34/x', false)).rejects.toThrow(
      /credentials/,
    );
    await expect(resolveOutboundTarget('file:///etc/passwd', false)).rejects.toThrow(/https/);
  });
});

describe.each(DIALECTS)('external bot webhook (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;
  let site: SiteBot;
  let siteUrl: string;
  const closers: Array<() => Promise<unknown>> = [];
  const settingsUrl = () => `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/external-bot`;

  const boot = async (env: Record<string, string>) => {
    server = await startTestServer({ database, env: { PARLEY_EXTERNAL_BOT_TIMEOUT_MS: '400', ...env } });
    closers.push(() => server.close());
    admin = await setupAdmin(server);
    widget = await createWidget(server, admin);
  };
  const chat = async (): Promise<{ v: VisitorSession; probe: Probe; bot: () => Message[] }> => {
    const v = await startVisitor(server, widget);
    const probe = await connectVisitor(server, v.credential, widget.allowedOrigins[0]);
    closers.push(async () => probe.close());
    probe.send({ type: 'subscribe', conversationId: v.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    const bot = () =>
      probe
        .of('message.new')
        .map((f) => f.message)
        .filter((m) => m.author.kind === 'bot' && !m.clientId.startsWith('greeting_'));
    return { v, probe, bot };
  };

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    site = new SiteBot();
    siteUrl = await site.start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await site.close();
    await database.drop();
  });

  it('signs each request; the site verifies it and its replies reach the visitor', async () => {
    await boot({ PARLEY_EXTERNAL_BOT_ALLOW_PRIVATE: 'true' });
    const saved = await http(server, 'PUT', settingsUrl(), {
      cookie: admin.cookie,
      body: { enabled: true, url: siteUrl },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.secret).toMatch(/^pwh_/);
    site.secret = saved.body.secret;
    // Shown once: reading the settings never returns it again.
    const read = await http(server, 'GET', settingsUrl(), { cookie: admin.cookie });
    expect(read.body).toEqual({ enabled: true, url: siteUrl, hasSecret: true });
    expect(
      JSON.stringify(await server.db.db.selectFrom('widget_bot_settings').selectAll().execute()),
    ).not.toContain(site.secret);

    site.respond = (event, res) =>
      json(res, 200, {
        replies: [
          {
            text: `You said: ${(event.message as { body: string }).body}`,
            actions: [{ id: 'track', label: 'Track my parcel' }],
          },
        ],
      });
    const { v, probe, bot } = await chat();
    probe.sendMessage(v.conversationId, 'hello bot');
    await probe.until(() => bot().length >= 1, 'external reply');
    expect(bot()[0]).toMatchObject({
      body: 'You said: hello bot',
      actions: [{ id: 'track', kind: 'reply', label: 'Track my parcel' }],
    });
    expect(site.received).toHaveLength(1);
    expect(site.received[0]).toMatchObject({
      verified: true,
      event: {
        event: 'message.created',
        conversationId: v.conversationId,
        message: { body: 'hello bot', action: null },
      },
    });

    // After rotation the old secret no longer verifies: the site refuses, Parley hands off.
    const rotated = await http(server, 'POST', `${settingsUrl()}/secret`, { cookie: admin.cookie, body: {} });
    expect(rotated.body.secret).not.toBe(site.secret);
    probe.sendMessage(v.conversationId, 'still there?');
    await probe.until(() => bot().some((m) => m.body === HANDOFF_MESSAGE), 'handoff on 401');
    expect(site.received.at(-1)?.verified).toBe(false);
  });

  it('retries a failing site with backoff, then hands off; a slow site times out; a handoff answer hands off', async () => {
    await boot({ PARLEY_EXTERNAL_BOT_ALLOW_PRIVATE: 'true' });
    const saved = await http(server, 'PUT', settingsUrl(), {
      cookie: admin.cookie,
      body: { enabled: true, url: siteUrl },
    });
    site.secret = saved.body.secret;

    site.respond = (_e, res) => json(res, 503, {});
    const a = await chat();
    a.probe.sendMessage(a.v.conversationId, 'anyone?');
    await a.probe.until(() => a.bot().some((m) => m.body === HANDOFF_MESSAGE), 'handoff after retries');
    expect(site.received).toHaveLength(3); // the first attempt and two retries, one delivery id
    expect(new Set(site.received.map((r) => r.delivery)).size).toBe(1);

    site.received = [];
    site.respond = () => undefined; // never answers
    const b = await chat();
    b.probe.sendMessage(b.v.conversationId, 'hello?');
    await b.probe.until(() => b.bot().some((m) => m.body === HANDOFF_MESSAGE), 'handoff after timeouts');
    expect(site.received).toHaveLength(3);

    site.respond = (_e, res) => json(res, 200, { replies: [{ text: '<b>not</b> the schema', html: true }] });
    const c = await chat();
    c.probe.sendMessage(c.v.conversationId, 'hi');
    await c.probe.until(
      () => c.bot().some((m) => m.body === HANDOFF_MESSAGE),
      'handoff on a malformed answer',
    );
    expect(c.bot()).toHaveLength(1);

    site.respond = (_e, res) =>
      json(res, 200, { replies: [{ text: 'Let me get a colleague.' }], handoff: true });
    const d = await chat();
    d.probe.sendMessage(d.v.conversationId, 'refund please');
    await d.probe.until(() => d.bot().some((m) => m.body === HANDOFF_MESSAGE), 'handoff asked by the site');
    expect(d.bot().map((m) => m.body)).toEqual(['Let me get a colleague.', HANDOFF_MESSAGE]);

    site.respond = (_e, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    };
    site.received = [];
    const e = await chat();
    e.probe.sendMessage(e.v.conversationId, 'follow me');
    await e.probe.until(() => e.bot().some((m) => m.body === HANDOFF_MESSAGE), 'handoff on a redirect');
    expect(site.received).toHaveLength(1); // a redirect is not followed and not retried
  });

  it('refuses private targets when saving and again when sending', async () => {
    await boot({});
    for (const url of [
      siteUrl,
      'https://127.0.0.1/bot',
      'https://10.0.0.7/bot',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/bot',
      'https://localhost/bot',
      'http://example.com/bot',
    ]) {
      const res = await http(server, 'PUT', settingsUrl(), {
        cookie: admin.cookie,
        body: { enabled: true, url },
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error.details[0], url).toMatch(/^url: /);
    }
    // A URL that passed when saved but now points inside (DNS changed): refused at request time.
    await server.db.db
      .insertInto('widget_bot_settings')
      .values({
        widget_id: widget.id,
        workspace_id: admin.workspaceId,
        external_bot_enabled: 1,
        external_bot_url: siteUrl,
        external_bot_secret: null,
        business_hours: null,
        updated_at: new Date().toISOString(),
      })
      .execute();
    await http(server, 'POST', `${settingsUrl()}/secret`, { cookie: admin.cookie, body: {} });
    const { v, probe, bot } = await chat();
    probe.sendMessage(v.conversationId, 'hello');
    await probe.until(() => bot().some((m) => m.body === HANDOFF_MESSAGE), 'handoff instead of the request');
    expect(site.received).toEqual([]);
  });
});
