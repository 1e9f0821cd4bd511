import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { BRANDING_LIMITS, LAUNCHER_ICONS, type WidgetBranding } from '../../../protocol/branding.js';
import { createWidget, http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { jpegWithExif, png, svgWithScript, windowsExecutable } from '../../../test/support/sample-files.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

const SITE = 'https://shop.example.com';
const LOOK = {
  color: '#FFEB3B',
  position: 'left',
  offsetX: 32,
  offsetY: 48,
  icon: 'help',
  label: '  Chat with us ',
  poweredBy: false,
} as const;

describe.each(DIALECTS)('widget branding (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;

  const path = () => `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/branding`;
  const put = (body: unknown) => http(server, 'PUT', path(), { cookie: admin.cookie, body });
  const upload = (bytes: Buffer) =>
    fetch(`${server.url}${path()}/avatar`, {
      method: 'PUT',
      headers: { origin: server.origin, cookie: admin.cookie, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    widget = await createWidget(server, admin, [SITE]);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('gives a widget nobody styled the default look, on the public route too', async () => {
    const got = await http<WidgetBranding>(server, 'GET', path(), { cookie: admin.cookie });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      color: '#4f46e5',
      ink: '#ffffff',
      position: 'right',
      offsetX: 20,
      offsetY: 20,
      icon: 'chat',
      label: '',
      poweredBy: true,
      avatarUrl: null,
    });
    const pub = await http(server, 'GET', `/api/v1/widgets/${widget.id}/public`, { origin: SITE });
    expect(pub.body.launcher).toEqual({
      color: '#4f46e5',
      ink: '#ffffff',
      position: 'right',
      offsetX: 20,
      offsetY: 20,
      icon: LAUNCHER_ICONS.chat,
      label: '',
    });
    expect(pub.body.words).toMatchObject({ open: 'Open chat', unread: 'Open chat ({n} unread)' });
  });

  it('stores a look and the public route and the chat frame carry it', async () => {
    const saved = await put(LOOK);
    expect(saved.status).toBe(200);
    // A yellow too light for white text: black text is picked (4.5:1 or better), and the label trimmed.
    expect(saved.body).toMatchObject({ color: '#ffeb3b', ink: '#000000', label: 'Chat with us' });

    const pub = await http(server, 'GET', `/api/v1/widgets/${widget.id}/public`, { origin: SITE });
    expect(pub.status).toBe(200);
    expect(pub.body.launcher).toEqual({
      color: '#ffeb3b',
      ink: '#000000',
      position: 'left',
      offsetX: 32,
      offsetY: 48,
      icon: LAUNCHER_ICONS.help,
      label: 'Chat with us',
    });
    // The launcher's accessible names start with its visible label (what a voice-control user says).
    expect(pub.body.words).toMatchObject({
      open: 'Chat with us',
      unread: 'Chat with us: Open chat ({n} unread)',
    });

    const frame = await http<string>(server, 'GET', `/w/${widget.id}`, { origin: null });
    expect(frame.body).toContain('data-brand="#ffeb3b"');
    expect(frame.body).toContain('data-brand-ink="#000000"');
    // Yellow text on white is unreadable: where the colour would be text, near-black is used.
    expect(frame.body).toContain('data-brand-text="#111827"');
    expect(frame.body).not.toContain('data-powered-by');
    expect(frame.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it.each([
    ['a colour name', { color: 'red' }],
    ['a short colour', { color: '#fff' }],
    ['a colour with CSS after it', { color: '#ffffff;background:url(x)' }],
    ['a colour function', { color: 'rgb(1,2,3)' }],
    ['a negative offset', { offsetX: -1 }],
    ['an offset past the limit', { offsetY: BRANDING_LIMITS.maxOffset + 1 }],
    ['a fractional offset', { offsetX: 1.5 }],
    ['a label too long', { label: 'x'.repeat(BRANDING_LIMITS.maxLabelChars + 1) }],
    ['a label with a line break', { label: 'Chat\nwith us' }],
    ['an icon not in the set', { icon: 'custom' }],
    ['markup for an icon', { icon: '<svg onload=alert(1)>' }],
    ['a side that is not left or right', { position: 'top' }],
    ['a field nobody knows', { css: 'color:red' }],
  ])('refuses %s and keeps what was saved', async (_what, change) => {
    const res = await put({ ...LOOK, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toBeTruthy();
    const now = await http<WidgetBranding>(server, 'GET', path(), { cookie: admin.cookie });
    expect(now.body).toMatchObject({ color: '#ffeb3b', position: 'left', offsetX: 32, icon: 'help' });
  });

  it('re-encodes an uploaded avatar to a small PNG without its metadata, and serves it as an image only', async () => {
    const res = await upload(await jpegWithExif(600, 400));
    expect(res.status).toBe(200);
    const body = (await res.json()) as WidgetBranding;
    expect(body.avatarUrl).toMatch(new RegExp(`^/api/v1/widgets/${widget.id}/avatar\\?v=\\d+$`));

    const img = await fetch(`${server.url}${body.avatarUrl}`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    expect(img.headers.get('content-security-policy')).toContain('sandbox');
    const bytes = Buffer.from(await img.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({
      format: 'png',
      width: BRANDING_LIMITS.avatarSize,
      height: BRANDING_LIMITS.avatarSize,
    });
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('SecretCam'))).toBe(false);

    // The frame shows it; a new upload is a new URL.
    const frame = await http<string>(server, 'GET', `/w/${widget.id}`, { origin: null });
    expect(frame.body).toContain(`data-avatar="${body.avatarUrl}"`);
    const again = (await (await upload(await png(64, 64))).json()) as WidgetBranding;
    expect(again.avatarUrl).not.toBe(body.avatarUrl);
  });

  it('refuses an avatar that is not a PNG, JPEG or WebP image, or too large, and keeps the one it had', async () => {
    const before = (await http<WidgetBranding>(server, 'GET', path(), { cookie: admin.cookie })).body
      .avatarUrl;
    const svg = await upload(svgWithScript());
    expect(svg.status).toBe(415);
    expect(((await svg.json()) as { error: { code: string } }).error.code).toBe('avatar_not_image');
    const exe = await upload(windowsExecutable());
    expect(((await exe.json()) as { error: { code: string } }).error.code).toBe('avatar_not_image');
    const empty = await upload(Buffer.alloc(0));
    expect(empty.status).toBe(415);
    const broken = await upload(Buffer.concat([(await png(40, 40)).subarray(0, 60)]));
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('avatar_unreadable');

    const heavy = await upload(Buffer.alloc(BRANDING_LIMITS.maxAvatarBytes + 1, 0x61));
    expect(heavy.status).toBe(413);
    expect(((await heavy.json()) as { error: { code: string } }).error.code).toBe('attachment_too_large');
    // Small on the wire, huge once decoded: refused from its header.
    const bomb = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(BRANDING_LIMITS.maxAvatarBytes);
    const big = await upload(bomb);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('avatar_image_too_large');

    const after = (await http<WidgetBranding>(server, 'GET', path(), { cookie: admin.cookie })).body
      .avatarUrl;
    expect(after).toBe(before);
  });

  it('removes the avatar: the widget shows the initial again and the old URL answers 404', async () => {
    const before = (await http<WidgetBranding>(server, 'GET', path(), { cookie: admin.cookie })).body;
    const res = await http<WidgetBranding>(server, 'DELETE', `${path()}/avatar`, {
      cookie: admin.cookie,
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.avatarUrl).toBeNull();
    // The look itself is untouched.
    expect(res.body).toMatchObject({ color: '#ffeb3b', label: 'Chat with us' });
    const gone = await http(server, 'GET', before.avatarUrl ?? '', { origin: null });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('avatar_not_found');
  });

  it('keeps another workspace out', async () => {
    const other = await http(
      server,
      'GET',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${crypto.randomUUID()}/branding`,
      {
        cookie: admin.cookie,
      },
    );
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('widget_not_found');
  });
});
