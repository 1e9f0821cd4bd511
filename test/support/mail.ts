import type { OutboxMail } from '../../protocol/users-api.js';
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

/** Waits for a mail to a recipient (reset mail is sent after the response). */
export async function waitForMail(
  server: TestServer,
  admin: TestAgent,
  to: string,
  subject: RegExp,
): Promise<OutboxMail> {
  for (let i = 0; i < 100; i++) {
    const mail = (await readOutbox(server, admin)).find((m) => m.to === to && subject.test(m.subject));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to} matching ${subject}`);
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
