import type { OutboxMail } from '../../protocol/users-api.js';
import { listOutboxMail } from '../../server/modules/users/list-outbox-mail.js';
import { clock } from '../../server/platform/clock.js';
import { http, type TestAgent } from './clients.js';
import type { TestServer } from './test-server.js';

/** Mail in the embedded outbox, read the way an administrator does: through the API. */
export async function readOutbox(server: TestServer, admin: TestAgent): Promise<OutboxMail[]> {
  const res = await http<{ items: OutboxMail[] }>(
    server,
    'GET',
    `/api/v1/workspaces/${admin.workspaceId}/outbox`,
    { cookie: admin.cookie },
  );
  if (res.status !== 200) throw new Error(`outbox: ${res.status}`);
  return res.body.items;
}

/** The outbox as the host operator reads it (`parley outbox`): every link shown. */
export async function readOutboxOnHost(server: TestServer): Promise<OutboxMail[]> {
  return listOutboxMail({
    db: server.db.db,
    ring: server.app.vault.ring,
    workspaceId: null,
    reader: { kind: 'host-operator' },
  });
}

/**
 * Waits for a mail to a recipient (reset mail is sent after the response), read by an administrator
 * or, with 'host', by the host operator: a reset link for someone else is only visible there.
 */
export async function waitForMail(
  server: TestServer,
  reader: TestAgent | 'host',
  to: string,
  subject: RegExp,
): Promise<OutboxMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mail = (reader === 'host' ? await readOutboxOnHost(server) : await readOutbox(server, reader)).find(
      (m) => m.to === to && subject.test(m.subject),
    );
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The token from a link such as https://host/invite#token=… in a mail body. */
export function linkToken(body: string, path: string): string {
  const match = new RegExp(`${path}#token=([A-Za-z0-9_-]+)`).exec(body);
  if (!match?.[1]) throw new Error(`no ${path} link in mail`);
  return match[1];
}

/** Moves Parley's clock forward; returns a function that puts it back. */
export function advanceClock(ms: number): () => void {
  const previous = clock.now;
  clock.now = () => previous() + ms;
  return () => {
    clock.now = previous;
  };
}
