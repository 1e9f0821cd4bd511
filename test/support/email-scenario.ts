import type { VisitorSession, Widget } from '../../protocol/api.js';
import { newClientId } from '../../protocol/realtime-client.js';
import { emailDeps } from '../../server/modules/email/routes.js';
import { sendDueReplies } from '../../server/modules/email/send-due-replies.js';
import { createWidget, http, setupAdmin, startVisitor, type TestAgent } from './clients.js';
import { type SmtpInbox, startSmtpInbox } from './smtp-inbox.js';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from './test-server.js';

export const REPLY_DOMAIN = 'reply.parley.test';

/** A node that mails through a real SMTP server and listens for answers on its own SMTP port. */
export interface EmailScenario {
  database: TestDatabase;
  inbox: SmtpInbox;
  server: TestServer;
  admin: TestAgent;
  widget: Widget;
  visitor: VisitorSession;
  inboundPort: number;
  close(): Promise<void>;
}

export async function startEmailScenario(
  dialect: 'sqlite' | 'postgres',
  env: Record<string, string> = {},
): Promise<EmailScenario> {
  const database = await createTestDatabase(dialect);
  const inbox = await startSmtpInbox();
  const server = await startTestServer({
    database,
    env: {
      PARLEY_SMTP_URL: inbox.url,
      PARLEY_MAIL_FROM: 'Acme Support <support@parley.test>',
      PARLEY_SMTP_INBOUND_DOMAIN: REPLY_DOMAIN,
      ...env,
    },
    // Picked again with the HTTP port when either was taken in between (parallel test runs).
    portEnv: ['PARLEY_SMTP_INBOUND_PORT'],
  });
  const inboundPort = Number(server.config.email.inbound?.port);
  const admin = await setupAdmin(server);
  const widget = await createWidget(server, admin);
  const visitor = await startVisitor(server, widget);
  return {
    database,
    inbox,
    server,
    admin,
    widget,
    visitor,
    inboundPort,
    async close() {
      await server.close();
      await inbox.close();
      await database.drop();
    },
  };
}

/** The visitor leaves an email (as the widget's pre-chat form or a flow's email step does). */
export async function leaveEmail(s: EmailScenario, visitor: VisitorSession, email: string): Promise<void> {
  const res = await http(s.server, 'PUT', '/api/v1/visitor/profile', {
    headers: { authorization: `Bearer ${visitor.credential}` },
    body: { email },
  });
  if (res.status !== 200) throw new Error(`profile: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function agentReply(
  s: EmailScenario,
  agent: TestAgent,
  conversationId: string,
  body: string,
): Promise<number> {
  const res = await http<{ seq: number }>(
    s.server,
    'POST',
    `/api/v1/workspaces/${agent.workspaceId}/conversations/${conversationId}/messages`,
    { cookie: agent.cookie, body: { clientId: newClientId(), body } },
  );
  if (res.status !== 201) throw new Error(`reply: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.seq;
}

/** One run of the reply mailer of `server`, as if `minutes` had passed. */
export function runReplyMailer(server: TestServer, minutes: number) {
  return sendDueReplies(emailDeps(server.app), {
    now: new Date(Date.now() + minutes * 60_000),
    batchSize: 50,
  });
}

/** Another visitor of the same widget, with a conversation of their own. */
export async function anotherVisitor(s: EmailScenario): Promise<VisitorSession> {
  return startVisitor(s.server, s.widget);
}
