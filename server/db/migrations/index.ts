import type { Migration } from 'kysely';
import * as core from './2026-11-22-0001-core.js';
import * as identity from './2026-11-22-0002-identity.js';
import * as dataProtection from './2026-11-22-0003-data-protection.js';
import * as mfa from './2026-11-22-0004-mfa.js';
import * as apiTokens from './2026-11-22-0005-api-tokens.js';
import * as knowledge from './2026-11-22-0006-knowledge.js';
import * as service from './2026-11-22-0007-service.js';
import * as flows from './2026-11-22-0008-flows.js';
import * as queueOrder from './2026-11-22-0009-queue-order.js';
import * as messageOutbox from './2026-12-03-0001-message-outbox.js';
import * as widgetInsecureOrigins from './2026-12-03-0100-widget-insecure-origins.js';
import * as outboxKind from './2026-12-03-0200-outbox-kind.js';
import * as archiveProfileCollected from './2026-12-03-0301-archive-profile-collected.js';
import * as conversationLifecycle from './2026-12-04-0110-conversation-lifecycle.js';
import * as labelsSearch from './2026-12-04-0201-labels-search.js';
import * as readCursors from './2026-12-04-0301-read-cursors.js';
import * as visitorConversationIndex from './2026-12-04-0501-visitor-conversation-index.js';
import * as searchBacklog from './2026-12-04-0502-search-backlog.js';
import * as attachments from './2026-12-04-0601-attachments.js';
import * as securityAlerts from './2026-12-04-0601-security-alerts.js';
import * as languages from './2026-12-05-0300-languages.js';
import * as emailContinuity from './2026-12-05-0401-email-continuity.js';
import * as oidc from './2026-12-05-0501-oidc.js';
import * as widgetBranding from './2026-12-05-0601-widget-branding.js';
import * as directorySignIn from './2026-12-05-0701-directory-sign-in.js';
import * as oidcRecheck from './2026-12-06-0201-oidc-recheck.js';
import * as channels from './2026-12-06-0301-channels.js';
import * as calls from './2026-12-06-0401-calls.js';
import * as widgetCalls from './2026-12-06-0402-widget-calls.js';
import * as prechatForm from './2026-12-06-1101-prechat-form.js';
import * as proactiveMessage from './2026-12-06-1102-proactive-message.js';
import * as emailChannel from './2026-12-07-0101-email-channel.js';
import * as callSeatHeartbeats from './2026-12-07-0301-call-seat-heartbeats.js';
import * as searchFts from './2026-12-08-0101-search-fts.js';
import * as lastVisitorSeq from './2026-12-09-0101-last-visitor-seq.js';
import * as searchTermSets from './2026-12-10-0101-search-term-sets.js';
import * as searchBacklogTrigger from './2026-12-11-0101-search-backlog-trigger.js';

/** Migrations in order. Names are dated; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '2026-11-22-0001-core': core,
  '2026-11-22-0002-identity': identity,
  '2026-11-22-0003-data-protection': dataProtection,
  '2026-11-22-0004-mfa': mfa,
  '2026-11-22-0005-api-tokens': apiTokens,
  '2026-11-22-0006-knowledge': knowledge,
  '2026-11-22-0007-service': service,
  '2026-11-22-0008-flows': flows,
  '2026-11-22-0009-queue-order': queueOrder,
  '2026-12-03-0001-message-outbox': messageOutbox,
  '2026-12-03-0100-widget-insecure-origins': widgetInsecureOrigins,
  '2026-12-03-0200-outbox-kind': outboxKind,
  '2026-12-03-0301-archive-profile-collected': archiveProfileCollected,
  '2026-12-04-0110-conversation-lifecycle': conversationLifecycle,
  '2026-12-04-0201-labels-search': labelsSearch,
  '2026-12-04-0301-read-cursors': readCursors,
  '2026-12-04-0501-visitor-conversation-index': visitorConversationIndex,
  '2026-12-04-0502-search-backlog': searchBacklog,
  '2026-12-04-0601-attachments': attachments,
  '2026-12-04-0601-security-alerts': securityAlerts,
  '2026-12-05-0300-languages': languages,
  '2026-12-05-0401-email-continuity': emailContinuity,
  '2026-12-05-0501-oidc': oidc,
  '2026-12-05-0601-widget-branding': widgetBranding,
  '2026-12-05-0701-directory-sign-in': directorySignIn,
  '2026-12-06-0201-oidc-recheck': oidcRecheck,
  '2026-12-06-0401-calls': calls,
  '2026-12-06-0402-widget-calls': widgetCalls,
  '2026-12-06-0301-channels': channels,
  '2026-12-06-1101-prechat-form': prechatForm,
  '2026-12-06-1102-proactive-message': proactiveMessage,
  '2026-12-07-0101-email-channel': emailChannel,
  '2026-12-07-0301-call-seat-heartbeats': callSeatHeartbeats,
  '2026-12-08-0101-search-fts': searchFts,
  '2026-12-09-0101-last-visitor-seq': lastVisitorSeq,
  '2026-12-10-0101-search-term-sets': searchTermSets,
  '2026-12-11-0101-search-backlog-trigger': searchBacklogTrigger,
};
