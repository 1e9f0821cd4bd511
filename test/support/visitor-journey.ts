import { randomBytes } from 'node:crypto';
import type { VisitorSession, Widget } from '../../protocol/api.js';
import type { Message } from '../../protocol/common.js';
import type { FlowBody } from '../../protocol/flows.js';
import { linkChannelContact } from '../../server/modules/channels/link-channel-contact.js';
import { insertChannelMail } from '../../server/modules/email/email.repository.js';
import { mailKeyOf } from '../../server/modules/email/mail-thread.js';
import { runRetention } from '../../server/modules/retention/run-retention.js';
import { identityHash } from '../../server/modules/visitors/verify-identity.js';
import { addAgent, connectAgent, connectVisitor, http, type Probe, type TestAgent } from './clients.js';
import type { Scenario } from './scenario.js';

const DAY = 86_400_000;

/** A flow with buttons, an email question, a checkpoint and a handoff: every kind of row a flow writes. */
const SALES_FLOW: FlowBody = {
  name: 'Sales',
  trigger: 'first_message',
  definition: {
    start: 'menu',
    steps: [
      {
        id: 'menu',
        kind: 'buttons',
        text: 'What brings you here?',
        buttons: [
          { label: 'Talk to sales', next: 'email' },
          { label: 'Just looking', next: 'bye' },
        ],
      },
      { id: 'email', kind: 'ask', text: 'What is your email address?', attribute: 'email', next: 'cp' },
      { id: 'cp', kind: 'checkpoint', name: 'email_known', next: 'human' },
      { id: 'human', kind: 'handoff', text: 'Connecting you with sales.' },
      { id: 'bye', kind: 'message', text: 'Enjoy!' },
    ],
  },
};

export interface JourneyStaff {
  operatorA: TestAgent;
  operatorB: TestAgent;
}

/** Two operators and a resolution code, once per scenario. */
export async function prepareStaff(s: Scenario): Promise<JourneyStaff> {
  const res = await http(s.server, 'POST', `/api/v1/workspaces/${s.admin.workspaceId}/resolution-codes`, {
    cookie: s.admin.cookie,
    body: { code: 'solved', label: 'Solved' },
  });
  if (res.status !== 201) throw new Error(`resolution code: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    operatorA: await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com'),
    operatorB: await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com'),
  };
}

export interface Journey {
  /** In every text the journey wrote. */
  tag: string;
  widget: Widget;
  visitorId: string;
  userId: string;
  /** The conversation that went quiet and was archived. */
  archivedConversationId: string;
  /** The conversation still live at the end. */
  conversationId: string;
  queryId: string;
  /** The latest credential. */
  credential: string;
}

/**
 * A visitor who leaves a trace in every table that can hold one, through the real routes: the site
 * verifies who they are; they give their name, phone and a custom field; an agent writes and notes in
 * a first conversation that goes quiet and is archived (their data with it). They come back on
 * another page from a search, go through a flow (a button, their email, a checkpoint, a handoff), an
 * operator picks the query, answers, notes, transfers it with a note; the other resolves it with a
 * note; the visitor rates it with a comment. Every text carries a random tag, so a search for it in
 * the raw database means something.
 */
export async function runJourney(s: Scenario, staff: JourneyStaff): Promise<Journey> {
  const tag = randomBytes(5).toString('hex');
  const ws = `/api/v1/workspaces/${s.admin.workspaceId}`;
  const expectStatus = (what: string, res: { status: number; body: unknown }, status: number) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const widgetRes = await http<Widget>(s.server, 'POST', `${ws}/widgets`, {
    cookie: s.admin.cookie,
    body: { name: `Shop ${tag}`, allowedOrigins: ['https://shop.example.com'], greeting: 'Hi!' },
  });
  expectStatus('widget', widgetRes, 201);
  const widget = widgetRes.body;
  const secret = await http(s.server, 'GET', `${ws}/widgets/${widget.id}/identity-secret`, {
    cookie: s.admin.cookie,
  });
  expectStatus('identity secret', secret, 200);
  const userId = `site-user-${tag}`;
  const identity = { userId, userHash: identityHash(secret.body.secret, userId) };
  const start = async (credential?: string) => {
    const res = await http<VisitorSession>(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: {
        widgetId: widget.id,
        hostOrigin: widget.allowedOrigins[0],
        identity,
        ...(credential ? { credential } : {}),
      },
    });
    expectStatus('visitor session', res, 201);
    return res.body;
  };
  const asVisitor = (credential: string, method: string, path: string, body: unknown) =>
    http(s.server, method, path, { headers: { authorization: `Bearer ${credential}` }, body });

  // The first conversation: the visitor's data, an agent's message and note; then it goes quiet.
  const first = await start();
  expectStatus(
    'profile',
    await asVisitor(first.credential, 'PUT', '/api/v1/visitor/profile', {
      name: `Zelda ${tag}`,
      phone: `+1 415 555 ${tag.replace(/\D/g, '').padEnd(4, '1').slice(0, 4)}`,
      custom: { city: `Oslo-${tag}` },
    }),
    200,
  );
  const admin = await connectAgent(s.server, s.admin);
  admin.sendMessage(first.conversationId, `archived answer ${tag}`);
  await admin.next('message.ack');
  admin.close();
  expectStatus(
    'note',
    await http(s.server, 'POST', `${ws}/conversations/${first.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: `archived note ${tag}` },
    }),
    201,
  );
  const archived = await runRetention({
    db: s.server.db.db,
    vault: s.server.app.vault,
    now: new Date(Date.now() + 91 * DAY),
    batchSize: 100,
    node: 'journey',
  });
  if (archived.totals.conversationsArchived < 1) throw new Error('the first conversation was not archived');

  // The visitor comes back, verified again, on a page they reached from a search.
  expectStatus(
    'flow',
    await http(s.server, 'POST', `${ws}/widgets/${widget.id}/flows`, {
      cookie: s.admin.cookie,
      body: SALES_FLOW,
    }),
    201,
  );
  const back = await start(first.credential);
  if (back.visitor.id !== first.visitor.id) throw new Error('the verified visitor came back as another');
  const conversationId = back.conversationId;
  expectStatus(
    'profile',
    await asVisitor(back.credential, 'PUT', '/api/v1/visitor/profile', {
      name: `Zelda ${tag}`,
      phone: `+44 20 7946 ${tag.replace(/\D/g, '').padEnd(4, '2').slice(0, 4)}`,
      custom: { plan: `plan-${tag}` },
    }),
    200,
  );
  expectStatus(
    'page',
    await asVisitor(back.credential, 'PUT', `/api/v1/visitor/conversations/${conversationId}/page`, {
      pageUrl: `https://shop.example.com/cart/${tag}?step=2`,
      referrer: `https://search.example/?q=${tag}`,
    }),
    204,
  );

  // A file: its name is what the visitor said too.
  await upload(s, `/api/v1/visitor/conversations/${conversationId}/attachments`, `receipt-${tag}.txt`, {
    authorization: `Bearer ${back.credential}`,
  });

  // The flow: a button, the email, a checkpoint, the handoff.
  const visitor = await connectVisitor(s.server, back.credential);
  visitor.send({ type: 'subscribe', conversationId, afterSeq: 0 });
  await visitor.next('subscribed');
  const bot = (p: Probe): Message[] =>
    p
      .of('message.new')
      .map((f) => f.message)
      .filter((m) => m.author.kind === 'bot' && m.conversationId === conversationId && m.seq > 1);
  visitor.sendMessage(conversationId, `hello, looking for ${tag}`);
  await visitor.until((p) => bot(p).some((m) => m.actions?.length), 'the flow’s buttons', 15_000);
  const menu = bot(visitor).find((m) => m.actions?.length) as Message;
  const sales = menu.actions?.find((a) => a.label === 'Talk to sales');
  visitor.send({
    type: 'message.send',
    conversationId,
    clientId: `journey_${tag}_button`,
    body: 'Talk to sales',
    action: { seq: menu.seq, id: sales?.id },
  });
  await visitor.until(
    (p) => bot(p).some((m) => m.body.includes('email address')),
    'the email question',
    15_000,
  );
  visitor.sendMessage(conversationId, `${tag}@example.com`);
  await visitor.until(
    (p) => bot(p).some((m) => m.body === 'Connecting you with sales.'),
    'the handoff',
    15_000,
  );

  // The handoff: picked, answered, noted, transferred with a note, resolved with a note, rated.
  let queryId: string | undefined;
  for (const deadline = Date.now() + 20_000; !queryId && Date.now() < deadline; ) {
    const list = await http(s.server, 'GET', `${ws}/queries?view=all`, { cookie: s.admin.cookie });
    queryId = list.body.items?.find(
      (q: { conversationId: string }) => q.conversationId === conversationId,
    )?.id;
    if (!queryId) await new Promise((r) => setTimeout(r, 25));
  }
  if (!queryId) throw new Error('no query was opened');
  const as = (agent: TestAgent, method: string, path: string, body: unknown) =>
    http(s.server, method, `${ws}${path}`, { cookie: agent.cookie, body });
  expectStatus('pick', await as(staff.operatorA, 'POST', `/queries/${queryId}/pick`, {}), 200);
  const label = await upload(s, `${ws}/conversations/${conversationId}/attachments`, `label-${tag}.pdf`, {
    cookie: staff.operatorA.cookie,
  });
  expectStatus(
    'reply',
    await as(staff.operatorA, 'POST', `/conversations/${conversationId}/messages`, {
      clientId: `journey-${tag}-reply-01`,
      body: `agent answer ${tag}`,
      attachmentIds: [label],
    }),
    201,
  );
  expectStatus(
    'note',
    await as(staff.operatorA, 'POST', `/conversations/${conversationId}/notes`, { body: `note on ${tag}` }),
    201,
  );
  expectStatus(
    'transfer',
    await as(staff.operatorA, 'POST', `/queries/${queryId}/transfer`, {
      userId: staff.operatorB.me.user.id,
      note: `transfer note ${tag}`,
    }),
    200,
  );
  expectStatus(
    'resolve',
    await as(staff.operatorB, 'POST', `/queries/${queryId}/resolve`, {
      code: 'solved',
      note: `resolution ${tag}`,
    }),
    200,
  );
  expectStatus(
    'rating',
    await asVisitor(back.credential, 'POST', `/api/v1/visitor/conversations/${conversationId}/rating`, {
      score: 4,
      comment: `comment ${tag}`,
    }),
    204,
  );
  // Someone on the team searches: what still waits in the search backlog is indexed first, so the
  // index holds the journey's words before the checks read the tables.
  expectStatus(
    'search',
    await http(s.server, 'GET', `${ws}/search/conversations?q=${encodeURIComponent(tag)}`, {
      cookie: s.admin.cookie,
    }),
    200,
  );
  // The visitor's platform account, as a channel's first message links one (channels/): the
  // contact row with its keyed hash and sealed sender id.
  const channel = await http(s.server, 'POST', `${ws}/channels`, {
    cookie: s.admin.cookie,
    body: { kind: 'telegram', name: `Telegram ${tag}`, widgetId: widget.id, botToken: `1:${tag}` },
  });
  expectStatus('channel', channel, 201);
  await linkChannelContact(s.server.db.db, s.server.app.vault, {
    workspaceId: s.admin.workspaceId,
    channelId: channel.body.channel.id,
    visitorId: back.visitor.id,
    sender: `chat-${tag}`,
    at: new Date().toISOString(),
  });
  // A mail of the conversation, as an email channel records each one (email/receive-channel-mail.ts).
  const mailed = await s.server.db.db
    .selectFrom('messages')
    .select(['id', 'workspace_id'])
    .where('conversation_id', '=', conversationId)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  const mailKey = await s.server.app.vault.forVisitor(s.server.db.db, mailed.workspace_id, back.visitor.id);
  await insertChannelMail(s.server.db.db, {
    message_id: mailed.id,
    workspace_id: mailed.workspace_id,
    conversation_id: conversationId,
    direction: 'in',
    mail_key: await mailKeyOf(s.server.app, mailed.workspace_id, `mail-${tag}@example.com`),
    mail_id: mailKey.seal('email_channel_mails', 'mail_id', mailed.id, `mail-${tag}@example.com`),
    spf: 'pass',
    dkim: 'pass',
    dmarc: 'pass',
    created_at: new Date().toISOString(),
  });
  visitor.close();
  return {
    tag,
    widget,
    visitorId: back.visitor.id,
    userId,
    archivedConversationId: first.conversationId,
    conversationId,
    queryId,
    credential: back.credential,
  };
}

/** Uploads a small file (its name carries the journey's tag) and answers its id. */
async function upload(
  s: Scenario,
  path: string,
  name: string,
  headers: Record<string, string>,
): Promise<string> {
  const res = await fetch(`${s.server.url}${path}`, {
    method: 'POST',
    headers: {
      ...headers,
      origin: s.server.origin,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
    },
    body: name.endsWith('.pdf') ? `%PDF-1.4\n% ${name}\n%%EOF\n` : `file ${name}`,
  });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}
