import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  type Probe,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { runRetention } from '../retention/run-retention.js';

const PII = {
  name: 'Priya Patel',
  email: 'priya.patel@example.com',
  phone: '+1 415 555 0199',
  card: '4111 1111 1111 1111',
};
const RAW = Object.values(PII);
const TEXT = `Mail ${PII.email}, call ${PII.phone}, card ${PII.card}`;

/** `name`: the call uploads `body` as a file with this name (bytes, not JSON). */
type Call = { method: string; path: string; body?: unknown; name?: string };
/**
 * Every HTTP route that can carry a visitor's personal data, and how to call it. Operators (no
 * personal-data.read) must get masks or a refusal; a supervisor must get the data (so the route
 * really carries it).
 */
const PII_ROUTES: Record<string, (ids: Ids) => Call> = {
  'GET /api/v1/workspaces/:workspaceId/conversations': (i) => ({
    method: 'GET',
    path: `${i.ws}/conversations`,
  }),
  'GET /api/v1/workspaces/:workspaceId/conversations/:conversationId': (i) => ({
    method: 'GET',
    path: `${i.ws}/conversations/${i.c}`,
  }),
  'GET /api/v1/workspaces/:workspaceId/conversations/:conversationId/messages': (i) => ({
    method: 'GET',
    path: `${i.ws}/conversations/${i.c}/messages`,
  }),
  'GET /api/v1/workspaces/:workspaceId/conversations/:conversationId/notes': (i) => ({
    method: 'GET',
    path: `${i.ws}/conversations/${i.c}/notes`,
  }),
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/notes': (i) => ({
    method: 'POST',
    path: `${i.ws}/conversations/${i.c}/notes`,
    body: { body: TEXT },
  }),
  'GET /api/v1/workspaces/:workspaceId/conversations/:conversationId/context': (i) => ({
    method: 'GET',
    path: `${i.ws}/conversations/${i.c}/context`,
  }),
  'GET /api/v1/workspaces/:workspaceId/leads': (i) => ({ method: 'GET', path: `${i.ws}/leads` }),
  // A file the visitor sent cannot be masked: operators are refused it (attachment_masked).
  'GET /api/v1/workspaces/:workspaceId/attachments/:attachmentId': (i) => ({
    method: 'GET',
    path: `${i.ws}/attachments/${i.file}`,
  }),
  // An agent's upload answers the attachment, its name masked for operators.
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/attachments': (i) => ({
    method: 'POST',
    path: `${i.ws}/conversations/${i.c}/attachments`,
    body: TEXT,
    name: `${PII.email}.txt`,
  }),
  'GET /api/v1/workspaces/:workspaceId/leads/export': (i) => ({
    method: 'GET',
    path: `${i.ws}/leads/export?format=json`,
  }),
  'GET /api/v1/workspaces/:workspaceId/visitors/:visitorId': (i) => ({
    method: 'GET',
    path: `${i.ws}/visitors/${i.v}`,
  }),
  'PATCH /api/v1/workspaces/:workspaceId/visitors/:visitorId': (i) => ({
    method: 'PATCH',
    path: `${i.ws}/visitors/${i.v}`,
    body: { custom: { seen: 'yes' } },
  }),
  'POST /api/v1/workspaces/:workspaceId/visitors/lookup': (i) => ({
    method: 'POST',
    path: `${i.ws}/visitors/lookup`,
    body: { email: PII.email },
  }),
  'GET /api/v1/workspaces/:workspaceId/visitors/:visitorId/export': (i) => ({
    method: 'GET',
    path: `${i.ws}/visitors/${i.v}/export`,
  }),
  'GET /api/v1/workspaces/:workspaceId/archives/:archiveId': (i) => ({
    method: 'GET',
    path: `${i.ws}/archives/${i.archive}`,
  }),
  'GET /api/v1/workspaces/:workspaceId/search/conversations': (i) => ({
    method: 'GET',
    path: `${i.ws}/search/conversations`,
  }),
};
/** Routes that carry no visitor personal data, and why. A route in neither list fails the test. */
const NO_PII: Record<string, string> = {
  'GET /api/v1/setup': 'setup state',
  'GET /api/v1/workspaces/:workspaceId/labels': 'label names and colours',
  'POST /api/v1/workspaces/:workspaceId/labels': 'label names and colours',
  'PUT /api/v1/workspaces/:workspaceId/labels/:labelId': 'label names and colours',
  'DELETE /api/v1/workspaces/:workspaceId/labels/:labelId': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/conversation-labels': 'ids',
  'PUT /api/v1/workspaces/:workspaceId/conversations/:conversationId/labels/:labelId': 'answers 204',
  'DELETE /api/v1/workspaces/:workspaceId/conversations/:conversationId/labels/:labelId': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/reports/service/by-label': 'counts and times per label',
  'POST /api/v1/setup': 'the first administrator’s own account',
  'POST /api/v1/auth/login': 'the agent’s own account',
  'POST /api/v1/auth/logout': 'nothing',
  'GET /api/v1/auth/me': 'the agent’s own account',
  'GET /api/v1/auth/oidc/options': 'sign-in provider names for an email domain',
  'GET /api/v1/auth/oidc/:providerId/start': 'a redirect to the provider',
  'GET /api/v1/auth/oidc/callback': 'a redirect, and the person’s own session',
  'POST /api/v1/auth/oidc/:providerId/backchannel-logout': 'answers {}',
  'GET /api/v1/workspaces/:workspaceId/sso/providers': 'sign-in provider settings (administrators)',
  'POST /api/v1/workspaces/:workspaceId/sso/providers': 'sign-in provider settings (administrators)',
  'PUT /api/v1/workspaces/:workspaceId/sso/providers/:providerId':
    'sign-in provider settings (administrators)',
  'DELETE /api/v1/workspaces/:workspaceId/sso/providers/:providerId': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/sso/settings': 'a flag',
  'PUT /api/v1/workspaces/:workspaceId/sso/settings': 'a flag',
  'GET /api/v1/workspaces/:workspaceId/widgets': 'widget settings',
  'POST /api/v1/workspaces/:workspaceId/widgets': 'widget settings',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId': 'widget settings',
  'PATCH /api/v1/workspaces/:workspaceId/widgets/:widgetId': 'widget settings',
  'GET /api/v1/widgets/:widgetId/public': 'widget name and its launcher’s look',
  'GET /api/v1/widgets/:widgetId/avatar': 'the bot’s picture',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/branding': 'widget settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/branding': 'widget settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/branding/avatar': 'widget settings',
  'DELETE /api/v1/workspaces/:workspaceId/widgets/:widgetId/branding/avatar': 'widget settings',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/prechat': 'widget settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/prechat': 'widget settings',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/proactive': 'widget settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/proactive': 'widget settings',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/flows': 'flow and bot settings',
  'POST /api/v1/workspaces/:workspaceId/widgets/:widgetId/flows': 'flow and bot settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/flows/:flowId': 'flow and bot settings',
  'DELETE /api/v1/workspaces/:workspaceId/widgets/:widgetId/flows/:flowId': 'flow and bot settings',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/external-bot': 'flow and bot settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/external-bot': 'flow and bot settings',
  'POST /api/v1/workspaces/:workspaceId/widgets/:widgetId/external-bot/secret': 'flow and bot settings',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/business-hours': 'flow and bot settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/business-hours': 'flow and bot settings',
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/messages': 'answers seq and time only',
  'PATCH /api/v1/workspaces/:workspaceId/conversations/:conversationId': 'answers 204',
  'DELETE /api/v1/workspaces/:workspaceId/visitors/:visitorId': 'answers ids',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/retention': 'settings',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/retention': 'settings',
  'GET /api/v1/workspaces/:workspaceId/retention/runs': 'counts',
  'GET /api/v1/workspaces/:workspaceId/archives': 'ids, counts and times',
  'POST /api/v1/visitor/sessions': 'the visitor’s own session: id and pseudonym',
  'POST /api/v1/visitor/tickets': 'a ticket',
  'PUT /api/v1/visitor/profile': 'the visitor’s own data, to the visitor',
  'POST /api/v1/visitor/conversations/:conversationId/transcript-email': 'answers 204',
  'POST /api/v1/visitor/prechat': 'answers 204',
  'POST /api/v1/email/unsubscribe': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/channels':
    'channel settings and status (administrators); never credentials',
  'POST /api/v1/workspaces/:workspaceId/channels': 'the new channel and its webhook secret (administrators)',
  'DELETE /api/v1/workspaces/:workspaceId/channels/:channelId': 'answers 204',
  'GET /api/v1/channels/:channelId/webhook': 'the platform’s own challenge',
  'POST /api/v1/channels/:channelId/webhook': 'answers { ok }',
  'GET /api/v1/workspaces/:workspaceId/conversations/:conversationId/email':
    'whether mail can go and when it last went; never the address (email-follow-up.test.ts)',
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/email-follow-ups':
    'answers seq and time only; the address never leaves the server (email-follow-up.test.ts)',
  'GET /api/v1/workspaces/:workspaceId/queries':
    'queue rows: ids, states, times; page URL, notes and comments masked for operators (handoff-service.test.ts)',
  'GET /api/v1/workspaces/:workspaceId/queries/counts': 'counts',
  'GET /api/v1/workspaces/:workspaceId/queries/:queryId':
    'ids, states, times; page URL, notes and comments masked for operators (handoff-service.test.ts)',
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/pick': 'answers ids and state',
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/assign': 'answers ids and state',
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/transfer': 'answers the id',
  'POST /api/v1/workspaces/:workspaceId/queries/:queryId/resolve': 'answers the id and state',
  'GET /api/v1/workspaces/:workspaceId/agents': 'agents’ names, presence and load',
  'PUT /api/v1/workspaces/:workspaceId/presence': 'the agent’s own presence',
  'PUT /api/v1/workspaces/:workspaceId/agents/:userId/settings': 'capacity',
  'GET /api/v1/workspaces/:workspaceId/teams': 'team names and member ids',
  'POST /api/v1/workspaces/:workspaceId/teams': 'team names',
  'PUT /api/v1/workspaces/:workspaceId/teams/:id/members': 'member ids',
  'PATCH /api/v1/workspaces/:workspaceId/teams/:id': 'a team name',
  'DELETE /api/v1/workspaces/:workspaceId/teams/:id': 'nothing',
  'PUT /api/v1/workspaces/:workspaceId/widgets/:widgetId/team': 'ids',
  'GET /api/v1/workspaces/:workspaceId/resolution-codes': 'settings',
  'POST /api/v1/workspaces/:workspaceId/resolution-codes': 'settings',
  'DELETE /api/v1/workspaces/:workspaceId/resolution-codes/:id': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/canned-responses': 'the team’s own texts',
  'POST /api/v1/workspaces/:workspaceId/canned-responses': 'the team’s own texts',
  'PUT /api/v1/workspaces/:workspaceId/canned-responses/:id': 'the team’s own texts',
  'DELETE /api/v1/workspaces/:workspaceId/canned-responses/:id': 'answers 204',
  'POST /api/v1/visitor/conversations/:conversationId/rating': 'answers 204, to the visitor',
  'PUT /api/v1/visitor/conversations/:conversationId/page': 'answers 204, to the visitor',
  'POST /api/v1/visitor/conversations/:conversationId/attachments': 'answers the visitor their own file',
  'GET /api/v1/workspaces/:workspaceId/attachment-settings': 'the kinds of file a workspace accepts',
  'PUT /api/v1/workspaces/:workspaceId/attachment-settings': 'the kinds of file a workspace accepts',
  'GET /api/v1/visitor/conversations/:conversationId/attachments/:attachmentId':
    'the visitor’s own file, to the visitor',
  'GET /api/v1/workspaces/:workspaceId/reports/service': 'counts, rates and durations',
  'GET /api/v1/workspaces/:workspaceId/conversations/counts': 'counts',
  'GET /api/v1/workspaces/:workspaceId/read-state': 'conversation ids, seqs and unread counts',
  'GET /api/v1/workspaces/:workspaceId/notification-settings': 'the agent’s own switches',
  'PUT /api/v1/workspaces/:workspaceId/notification-settings': 'the agent’s own switches',
  'GET /api/v1/workspaces/:workspaceId/presence': 'the agent’s own presence',
  'GET /api/v1/workspaces/:workspaceId/reports/service/series':
    'counts, rates and durations by time, and the names of agents, teams, widgets and labels',
  'GET /api/v1/workspaces/:workspaceId/reports/service/series.csv':
    'counts, rates and durations by time, and the names of agents, teams, widgets and labels',
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/resolve': 'answers the id and status',
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/reopen': 'answers the id and status',
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/pending': 'answers the id and status',
  'POST /api/v1/workspaces/:workspaceId/conversations/:conversationId/snooze': 'answers the id and status',
  'GET /api/v1/workspaces/:workspaceId/conversations/:conversationId/events':
    'kinds, times and ids; the rating comment masked for operators (lifecycle.test.ts)',
  'GET /api/v1/workspaces/:workspaceId/resolution-settings': 'settings',
  'PUT /api/v1/workspaces/:workspaceId/resolution-settings': 'settings',
  'GET /ws': 'the socket: frames are checked below',
  'POST /api/v1/auth/password-reset': 'the agent’s own account',
  'POST /api/v1/auth/password-reset/complete': 'the agent’s own account',
  'POST /api/v1/auth/password': 'the agent’s own account',
  'GET /api/v1/auth/sessions': 'the agent’s own sessions',
  'DELETE /api/v1/auth/sessions/:sessionId': 'answers 204',
  'POST /api/v1/auth/sessions/end-all': 'a count',
  'GET /api/v1/workspaces/:workspaceId/users': 'agents, not visitors',
  'PATCH /api/v1/workspaces/:workspaceId/users/:userId': 'answers 204',
  'DELETE /api/v1/workspaces/:workspaceId/users/:userId': 'answers 204',
  'POST /api/v1/workspaces/:workspaceId/users/:userId/sessions/end': 'a count',
  'GET /api/v1/workspaces/:workspaceId/invites': 'invited agents, not visitors',
  'POST /api/v1/workspaces/:workspaceId/invites': 'the invited agent',
  'DELETE /api/v1/workspaces/:workspaceId/invites/:inviteId': 'answers 204',
  'POST /api/v1/invites/accept': 'the new agent’s own account',
  'GET /api/v1/workspaces/:workspaceId/audit': 'ids, actions and agents’ names only',
  'GET /api/v1/workspaces/:workspaceId/outbox': 'mail to agents (administrators only)',
  'GET /api/v1/workspaces/:workspaceId/security-alerts':
    'rules, counts and the client addresses behind refusals (administrators only)',
  'PUT /api/v1/workspaces/:workspaceId/security-alerts/seen': 'answers 204',
  'GET /api/v1/auth/mfa': 'the agent’s own factors',
  'POST /api/v1/auth/mfa/verify': 'the agent’s own account',
  'POST /api/v1/auth/totp/enrollment': 'the agent’s own factor',
  'POST /api/v1/auth/totp/enrollment/confirm': 'the agent’s own factor',
  'DELETE /api/v1/auth/totp': 'answers 204',
  'POST /api/v1/auth/recovery-codes': 'the agent’s own codes',
  'GET /api/v1/workspaces/:workspaceId/security/mfa-policy': 'settings',
  'PUT /api/v1/workspaces/:workspaceId/security/mfa-policy': 'settings',
  'POST /api/v1/auth/passkey/options': 'a challenge',
  'POST /api/v1/auth/passkey/verify': 'the agent’s own account',
  'POST /api/v1/auth/mfa/passkey/options': 'a challenge',
  'POST /api/v1/auth/mfa/passkey/verify': 'the agent’s own account',
  'GET /api/v1/auth/passkeys': 'the agent’s own passkeys',
  'POST /api/v1/auth/passkeys/registration/options': 'a challenge',
  'POST /api/v1/auth/passkeys': 'the agent’s own passkey',
  'PATCH /api/v1/auth/passkeys/:passkeyId': 'the agent’s own passkey',
  'DELETE /api/v1/auth/passkeys/:passkeyId': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/knowledge/articles': 'articles written by the team',
  'GET /api/v1/workspaces/:workspaceId/knowledge/search': 'articles written by the team',
  'POST /api/v1/workspaces/:workspaceId/knowledge/articles': 'articles written by the team',
  'GET /api/v1/workspaces/:workspaceId/knowledge/articles/:articleId': 'articles written by the team',
  'PATCH /api/v1/workspaces/:workspaceId/knowledge/articles/:articleId': 'articles written by the team',
  'DELETE /api/v1/workspaces/:workspaceId/knowledge/articles/:articleId': 'answers 204',
  'GET /api/v1/workspaces/:workspaceId/api-tokens': 'token metadata',
  'POST /api/v1/workspaces/:workspaceId/api-tokens': 'token metadata',
  'POST /api/v1/workspaces/:workspaceId/api-tokens/:tokenId/revoke': 'token metadata',
  'PUT /api/v1/workspaces/:workspaceId/api-tokens/:tokenId/certificate': 'token metadata',
  'GET /api/v1/workspaces/:workspaceId/directory': 'directory settings, no visitor data',
  'PUT /api/v1/workspaces/:workspaceId/directory': 'directory settings, no visitor data',
  'POST /api/v1/workspaces/:workspaceId/directory/test': 'a connection test result',
  'GET /api/v1/workspaces/:workspaceId/widgets/:widgetId/identity-secret': 'widget settings',
  'POST /api/v1/workspaces/:workspaceId/widgets/:widgetId/identity-secret/rotate': 'widget settings',
  'POST /api/v1/workspaces/:workspaceId/visitors/by-user':
    'pseudonym and the site’s own user id; needs personal-data.read',
  'GET /api/v1/workspaces/:workspaceId/visitors/:visitorId/summary':
    'pseudonym and the site’s own user id; needs personal-data.read',
};
/** Server frames an agent can receive; the two that carry visitor data are checked for masks. */
const FRAMES_WITH_PII = new Set(['message.new', 'conversation.updated']);
const FRAMES_WITHOUT_PII = new Set([
  'welcome',
  'subscribed',
  'unsubscribed',
  'message.ack',
  'typing',
  'inbox.subscribed',
  'pong',
  'error',
  'conversation.status',
  // Label ids only (labels are the team's, not the visitor's), to inbox sockets in scope.
  'conversation.labels',
  // Says only that the workspace's labels changed: read them again.
  'labels.changed',
  // Who read how far: the reader's kind (and an agent's id) and seq numbers, no visitor data.
  'receipt',
]);

type Ids = { ws: string; c: string; v: string; archive: string; file: string };

describe.each(DIALECTS)('anonymized views (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  let supervisor: TestAgent;
  let ids: Ids;

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    const ws = `/api/v1/workspaces/${s.admin.workspaceId}`;
    // First conversation: it tells everything, gets a note, and (91 days on) moves to the archive.
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: { name: PII.name, email: PII.email, phone: PII.phone, custom: { backup: `card ${PII.card}` } },
    });
    const v = await connectVisitor(s.server, s.visitor.credential);
    v.sendMessage(s.visitor.conversationId, TEXT);
    await v.next('message.ack');
    v.close();
    await http(s.server, 'POST', `${ws}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: TEXT },
    });
    await runRetention({
      db: s.server.db.db,
      vault: s.server.app.vault,
      now: new Date(Date.now() + 91 * 86_400_000),
      batchSize: 50,
      node: 't',
    });
    const archive = (await http(s.server, 'GET', `${ws}/archives`, { cookie: s.admin.cookie })).body.items[0];
    // The visitor comes back and tells it all again, in a live conversation.
    const back = await http(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: {
        widgetId: s.widget.id,
        hostOrigin: s.widget.allowedOrigins[0],
        credential: s.visitor.credential,
      },
    });
    s.visitor = back.body;
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: { name: PII.name, email: PII.email, phone: PII.phone, custom: { backup: `card ${PII.card}` } },
    });
    const v2 = await connectVisitor(s.server, s.visitor.credential);
    v2.sendMessage(s.visitor.conversationId, TEXT);
    await v2.next('message.ack');
    v2.close();
    await http(s.server, 'POST', `${ws}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: TEXT },
    });
    // A file the visitor sends: its name and its content say it all again.
    const file = await fetch(
      `${s.server.url}/api/v1/visitor/conversations/${s.visitor.conversationId}/attachments`,
      {
        method: 'POST',
        headers: {
          origin: s.server.origin,
          authorization: `Bearer ${s.visitor.credential}`,
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent(`${PII.email}.txt`),
        },
        body: TEXT,
      },
    );
    const fileId = ((await file.json()) as { id: string }).id;
    ids = { ws, c: s.visitor.conversationId, v: s.visitor.visitor.id, archive: archive.id, file: fileId };
    // Without a bot the message queues the conversation for people (after the ack): operators see
    // only queued or assigned conversations, so wait for the queue.
    for (let i = 0; i < 100; i++) {
      const row = await s.server.db.db
        .selectFrom('conversations')
        .select('query_id')
        .where('id', '=', ids.c)
        .executeTakeFirst();
      if (row?.query_id) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => s?.close());

  it('classifies every route, masks every one that carries personal data for operators', async () => {
    const catalog = [
      ...new Set(
        s.server.app.routeCatalog.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`),
      ),
    ];
    // Pages and assets outside /api are built files: no data is rendered into them on the server.
    const page = (k: string) => k.startsWith('GET /') && !k.startsWith('GET /api/') && k !== 'GET /ws';
    const unclassified = catalog.filter((k) => !PII_ROUTES[k] && !NO_PII[k] && !page(k));
    expect(unclassified, 'say whether these routes carry visitor personal data').toEqual([]);

    const problems: string[] = [];
    for (const [route, make] of Object.entries(PII_ROUTES)) {
      const call = make(ids);
      const as = async (who: TestAgent) =>
        http(s.server, call.method, call.path, {
          cookie: who.cookie,
          ...(call.name
            ? {
                rawBody: String(call.body),
                headers: {
                  'content-type': 'application/octet-stream',
                  'x-file-name': encodeURIComponent(call.name),
                },
              }
            : call.body
              ? { body: call.body }
              : {}),
        });
      const op = await as(operator);
      const opText = JSON.stringify(op.body);
      if (op.status === 403) {
        if (RAW.some((p) => opText.includes(p))) problems.push(`${route}: refusal carries data`);
      } else {
        if (op.status >= 300) problems.push(`${route}: operator got ${op.status}`);
        for (const p of RAW) if (opText.includes(p)) problems.push(`${route}: operator sees ${p}`);
        if (!opText.includes('•')) problems.push(`${route}: operator sees no mask`);
      }
      // Someone allowed to see it does: the route really carries the data.
      const full = await as(op.status === 403 || call.path.endsWith('/lookup') ? s.admin : supervisor);
      const fullText = JSON.stringify(full.body);
      if (!RAW.some((p) => fullText.includes(p)))
        problems.push(`${route}: no personal data even unmasked (${full.status})`);
    }
    expect(problems).toEqual([]);
  });

  it('masks every socket frame that carries personal data, live and replayed, for operators', async () => {
    const op = await connectAgent(s.server, operator);
    const sup = await connectAgent(s.server, supervisor);
    for (const p of [op, sup]) {
      p.send({ type: 'inbox.subscribe' });
      await p.next('inbox.subscribed');
      p.send({ type: 'subscribe', conversationId: ids.c, afterSeq: 0 });
      await p.next('subscribed');
    }
    const visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: ids.c, afterSeq: 0 });
    await visitor.next('subscribed');
    visitor.send({ type: 'typing', conversationId: ids.c, state: 'start' });
    visitor.sendMessage(ids.c, `live: ${TEXT}`);
    const live = (p: Probe) =>
      p.until(
        (x) =>
          x.of('message.new').some((f) => f.message.body.startsWith('live:')) &&
          x.of('conversation.updated').length > 0,
        'live frames',
      );
    await Promise.all([live(op), live(sup)]);
    visitor.close();

    const check = (p: Probe, label: string) => {
      const problems: string[] = [];
      for (const f of p.frames) {
        if (!FRAMES_WITH_PII.has(f.type) && !FRAMES_WITHOUT_PII.has(f.type))
          problems.push(`${label}: unclassified frame ${f.type}`);
      }
      return problems;
    };
    const opText = JSON.stringify(op.frames);
    const supText = JSON.stringify(sup.frames);
    const problems = [...check(op, 'operator'), ...check(sup, 'supervisor')];
    for (const p of RAW) if (opText.includes(p)) problems.push(`operator frames carry ${p}`);
    for (const type of FRAMES_WITH_PII) {
      const frames = op.frames.filter((f) => f.type === type);
      if (frames.length === 0 || !JSON.stringify(frames).includes('•'))
        problems.push(`operator got no masked ${type}`);
      if (!RAW.some((p) => JSON.stringify(sup.frames.filter((f) => f.type === type)).includes(p)))
        problems.push(`supervisor ${type} carries no data`);
    }
    expect(problems).toEqual([]);
    expect(supText).toContain(PII.email);
    const replayed = op.of('message.new').find((f) => f.message.seq === 2);
    expect(replayed?.message.body).toBe('Mail p•••@•••.com, call +• ••• ••• ••99, card •••• •••• •••• 1111');
    const updated = op.of('conversation.updated').at(-1)?.conversation;
    expect(updated?.visitor.name).toBe('P••• P•••');
    op.close();
    sup.close();
  });
});
