import type { PersonalDataKind } from '../retention/retention-policy.js';

/**
 * Every column of every table, declared: personal data about a visitor (with its kind, which decides
 * the retention rules that delete it: `retention-policy.ts`), personal data about a team member
 * (governed by their account, not by visitor retention), or not personal. A migration that adds a
 * table or a column without a line here fails `data-classification.test.ts`; every visitor column is
 * then proven erased, expired, purged and exported by `personal-data.test.ts`.
 */

/** How a row is tied to a visitor. */
export type Reach =
  /** `visitors.id` is the visitor. */
  | 'visitor'
  /** The row's `visitor_id`. */
  | 'visitor_id'
  /** The row's `conversation_id`, a conversation of the visitor. */
  | 'conversation'
  /** The row's `query_id`, a query of one of the visitor's conversations. */
  | 'query'
  /** `data_keys.id` is the visitor id (purpose `visitor`). */
  | 'data-key';

export type ColumnClass =
  | {
      subject: 'visitor';
      kind: PersonalDataKind;
      /** Sealed under the visitor's data key (table, column and row id as associated data). */
      sealed: boolean;
      /** A sealed JSON document holding several kinds: the kind of each top-level key. */
      parts?: Record<string, PersonalDataKind>;
      /** Why the export leaves it out, when it does. */
      notExported?: string;
      /** Anything a reader should know, e.g. why a personal column is not sealed. */
      note?: string;
    }
  | { subject: 'staff'; why: string }
  | { subject: 'none'; why: string };

export interface TableClass {
  /** How rows are tied to a visitor; absent for tables that hold nothing about a visitor. */
  reach?: Reach;
  /** The column whose value is the row id in the associated data of sealed columns (default `id`). */
  sealedRowId?: string;
  /** The one dialect that has the table (the search index is FTS5 on SQLite, rows on PostgreSQL). */
  only?: 'sqlite' | 'postgres';
  columns: Record<string, ColumnClass>;
}

const about = (
  kind: PersonalDataKind,
  o: Partial<Omit<Extract<ColumnClass, { subject: 'visitor' }>, 'subject' | 'kind'>> = {},
): ColumnClass => ({ subject: 'visitor', kind, sealed: false, ...o });
const sealed = (kind: PersonalDataKind, o: { parts?: Record<string, PersonalDataKind> } = {}) =>
  about(kind, { sealed: true, ...o });
const record = about('record');
const staff = (why: string): ColumnClass => ({ subject: 'staff', why });
const none = (why = ''): ColumnClass => ({ subject: 'none', why });
const TENANT = none('the workspace');
const TIME = none();
/** A table of settings or bookkeeping: every column listed, none of them personal. */
const plain = (columns: string, why = ''): TableClass => ({
  columns: Object.fromEntries(columns.split(' ').map((c) => [c, c === 'workspace_id' ? TENANT : none(why)])),
});

export const DATA_CLASSIFICATION: Record<string, TableClass> = {
  // ── about visitors ──────────────────────────────────────────────────────────────────────────
  visitors: {
    reach: 'visitor',
    columns: {
      id: record,
      workspace_id: TENANT,
      widget_id: record,
      display_name: about('record', { note: 'a pseudonym Parley made up ("Visitor 3f2a"); it names nobody' }),
      external_user_id: about('identity', {
        note: 'the site’s own user id, looked up exactly when the site vouches for it, so not sealed',
      }),
      created_at: record,
      last_seen_at: record,
    },
  },
  visitor_profiles: {
    reach: 'visitor_id',
    sealedRowId: 'visitor_id',
    columns: {
      visitor_id: record,
      workspace_id: TENANT,
      widget_id: record,
      name: sealed('visitor-data'),
      email: sealed('visitor-data'),
      email_index: about('visitor-data', {
        notExported: 'an HMAC of the email under the workspace’s index key; the export holds the email',
      }),
      phone: sealed('visitor-data'),
      custom: sealed('visitor-data'),
      collected_at: record,
      expires_at: record,
      updated_at: record,
    },
  },
  visitor_credentials: {
    reach: 'visitor_id',
    columns: {
      id: record,
      workspace_id: TENANT,
      widget_id: record,
      visitor_id: record,
      token_hash: none('a hash of the browser’s credential: a secret, not about the person'),
      host_origin: record,
      created_at: record,
      first_issued_at: record,
      idle_expires_at: record,
      expires_at: record,
      revoked_at: record,
    },
  },
  ws_tickets: {
    reach: 'visitor_id',
    ...plain(
      'id workspace_id token_hash visitor_id credential_id widget_id expires_at created_at',
      'a single-use socket ticket that lives 30 seconds',
    ),
  },
  data_keys: {
    reach: 'data-key',
    ...plain(
      'id workspace_id purpose kek_id wrapped created_at updated_at',
      'key material; erasure deletes the visitor’s key',
    ),
  },
  conversations: {
    reach: 'visitor_id',
    columns: {
      id: record,
      workspace_id: TENANT,
      widget_id: record,
      visitor_id: record,
      status: record,
      last_seq: record,
      last_visitor_seq: about('record', {
        note: 'the seq of the visitor’s latest message, which they have read',
        notExported: 'a read position, not data about the visitor (the messages are exported)',
      }),
      last_message_at: record,
      last_message_preview: sealed('conversation'),
      created_at: record,
      updated_at: record,
      handoff_state: record,
      handoff_requested_at: record,
      bot_misses: record,
      bot_listening: record,
      query_id: record,
      page_url: sealed('conversation'),
      referrer: sealed('conversation'),
      snoozed_until: record,
      status_changed_at: record,
      previous_conversation_id: record,
      channel: about('record', {
        note: 'web, or the kind of messaging platform the conversation came through',
      }),
      language: about('record', {
        note: 'one of nine language codes the widget showed, from the browser’s preferences; not sealed: it says no more than the widget did',
      }),
    },
  },
  // What happened to a conversation's status (resolved with a code, reopened, snoozed), for the
  // transcript; the rows go with their conversation.
  conversation_events: {
    reach: 'conversation',
    columns: {
      id: none('a storage id'),
      workspace_id: TENANT,
      conversation_id: record,
      kind: record,
      actor_kind: record,
      actor_id: record,
      detail: about('record', { note: 'a resolution code, or the time a snooze ends' }),
      occurred_at: record,
    },
  },
  messages: {
    reach: 'conversation',
    columns: {
      id: none('a storage id; the export names a message by conversation and seq'),
      workspace_id: TENANT,
      conversation_id: record,
      seq: record,
      client_id: record,
      author_kind: record,
      author_id: record,
      author_name: about('record', { note: 'the visitor’s pseudonym, or the agent’s or bot’s name' }),
      body: sealed('conversation'),
      attachments: sealed('conversation'),
      created_at: record,
      structured: about('conversation', {
        note: 'cards and buttons the bot or an agent sent; stored in the clear (not yet sealed)',
      }),
      action_ref: record,
    },
  },
  // A turn the bot still owes a visitor's message: ids and lease bookkeeping, gone once taken.
  message_outbox: {
    reach: 'conversation',
    columns: {
      id: record,
      subscriber: record,
      workspace_id: TENANT,
      conversation_id: record,
      message_id: record,
      seq: record,
      created_at: record,
      lease_owner: none('which Parley node works on it'),
      lease_until: record,
      attempts: record,
    },
  },
  // How far the visitor and each agent read a conversation: seq numbers, gone with the conversation.
  // Files sent in a conversation: the name sealed here, the content sealed in chunks (attachment_chunks
  // on PostgreSQL, files under the data directory on SQLite), both under the visitor's data key.
  attachments: {
    reach: 'conversation',
    columns: {
      id: none('a storage id'),
      workspace_id: TENANT,
      conversation_id: record,
      message_id: about('record', {
        notExported:
          'a storage id; the export lists the files in their conversation and in the message carrying them',
      }),
      uploader_kind: record,
      uploader_id: about('record', { note: 'the visitor’s id, or the agent’s user id or the token’s id' }),
      name: sealed('conversation'),
      kind: record,
      size_bytes: record,
      chunk_count: about('record', { notExported: 'storage bookkeeping' }),
      width: record,
      height: record,
      created_at: record,
    },
  },
  attachment_chunks: {
    columns: {
      attachment_id: none('the attachment the chunk belongs to; rows of attachments carry the conversation'),
      workspace_id: TENANT,
      idx: none('the chunk’s place'),
      data: none(
        'ciphertext only: an attachment’s content sealed under the visitor’s data key, bound to the attachment, deleted with its attachments row (erasure, retention) and unreadable once the key is shredded',
      ),
    },
  },
  email_threads: {
    reach: 'conversation',
    columns: {
      conversation_id: record,
      workspace_id: TENANT,
      visitor_id: record,
      pending_since: about('record', { notExported: 'when a reply started waiting to be mailed' }),
      mailed_seq: about('record', {
        notExported: 'a position in the conversation, not data about the visitor',
      }),
      updated_at: about('record', { notExported: 'when the mail state last moved' }),
    },
  },
  email_deliveries: {
    reach: 'conversation',
    columns: {
      id: record,
      conversation_id: record,
      workspace_id: TENANT,
      kind: about('record', { notExported: 'which kind of mail went; the messages are in the export' }),
      from_seq: about('record', { notExported: 'positions of mailed messages' }),
      to_seq: about('record', { notExported: 'positions of mailed messages' }),
      requested_by: staff('the agent who sent a follow-up by email'),
      created_at: about('record', { notExported: 'when a mail went' }),
    },
  },
  email_channel_mails: {
    reach: 'conversation',
    sealedRowId: 'message_id',
    columns: {
      message_id: about('record', {
        notExported: 'the id of the message the mail carried; the message is in the export',
      }),
      workspace_id: TENANT,
      conversation_id: record,
      direction: about('record', {
        notExported: 'whether the message came or went by mail; it is in the export',
      }),
      mail_key: about('record', {
        notExported: 'a keyed hash of a mail’s Message-ID under the workspace’s mail tag key',
      }),
      mail_id: about('record', {
        sealed: true,
        notExported:
          'a mail system’s id of a mail the conversation received or sent; the messages are in the export',
      }),
      spf: about('record', { notExported: 'the receiving relay’s verdict on the mail’s sending server' }),
      dkim: about('record', { notExported: 'the receiving relay’s verdict on the mail’s signature' }),
      dmarc: about('record', { notExported: 'the receiving relay’s verdict on the sender’s domain policy' }),
      created_at: about('record', { notExported: 'when the mail came or went' }),
    },
  },
  channel_contacts: {
    reach: 'visitor_id',
    columns: {
      id: record,
      workspace_id: TENANT,
      channel_id: record,
      visitor_id: record,
      sender_index: about('identity', {
        notExported:
          'a keyed hash of the platform’s sender id under the workspace’s index key; the export holds the id',
      }),
      sender: sealed('identity'),
      last_inbound_at: record,
      created_at: record,
    },
  },
  channel_deliveries: {
    reach: 'conversation',
    columns: {
      message_id: record,
      workspace_id: TENANT,
      conversation_id: record,
      channel_id: record,
      platform_message_id: about('record', {
        notExported: 'the platform’s id of a sent message; the message is in the export',
      }),
      sent_at: about('record', { notExported: 'when a reply went out to the platform' }),
    },
  },
  email_opt_outs: {
    reach: 'visitor_id',
    columns: {
      visitor_id: record,
      workspace_id: TENANT,
      created_at: about('record', { notExported: 'when the visitor unsubscribed from reply mail' }),
    },
  },
  calls: {
    reach: 'conversation',
    columns: {
      id: record,
      workspace_id: TENANT,
      conversation_id: record,
      agent_user_id: about('record', { notExported: 'the agent who called; the transcript names them' }),
      media: about('record', { notExported: 'the transcript says which kind of call it was' }),
      state: about('record', { notExported: 'a call’s progress, not data about the visitor' }),
      agent_conn: about('record', { notExported: 'which server socket was in the room' }),
      visitor_conn: about('record', { notExported: 'which server socket was in the room' }),
      agent_seen_at: about('record', { notExported: 'when a server socket last held the agent’s seat' }),
      visitor_seen_at: about('record', { notExported: 'when a server socket last held the visitor’s seat' }),
      created_at: about('record', { notExported: 'the transcript dates every call event' }),
      accepted_at: about('record', { notExported: 'the transcript dates every call event' }),
      ended_at: about('record', { notExported: 'the transcript dates every call event' }),
      end_reason: about('record', { notExported: 'the transcript says how the call ended' }),
    },
  },
  call_tokens: {
    reach: 'conversation',
    columns: {
      token_hash: about('record', { notExported: 'a hash of a credential good for seconds' }),
      call_id: about('record', { notExported: 'bookkeeping of a call credential' }),
      conversation_id: record,
      principal_kind: about('record', { notExported: 'bookkeeping of a call credential' }),
      principal_id: about('record', {
        note: 'the visitor’s id, or the agent’s user id',
        notExported: 'bookkeeping of a call credential',
      }),
      connection_id: about('record', { notExported: 'bookkeeping of a call credential' }),
      expires_at: about('record', { notExported: 'bookkeeping of a call credential' }),
      used_at: about('record', { notExported: 'bookkeeping of a call credential' }),
    },
  },
  read_cursors: {
    reach: 'conversation',
    columns: {
      conversation_id: record,
      workspace_id: TENANT,
      reader_kind: record,
      reader_id: about('record', {
        note: 'the visitor’s id, or the agent’s user id',
        notExported: 'read positions say nothing the export’s messages do not; kept out',
      }),
      delivered_seq: about('record', { notExported: 'a read position, not data about the visitor' }),
      read_seq: about('record', { notExported: 'a read position, not data about the visitor' }),
      updated_at: about('record', { notExported: 'when a read position last moved' }),
    },
  },
  conversation_notes: {
    reach: 'conversation',
    columns: {
      id: record,
      workspace_id: TENANT,
      conversation_id: record,
      author_id: record,
      author_name: about('record', { note: 'the agent who wrote it' }),
      body: sealed('conversation'),
      created_at: record,
    },
  },
  conversation_archives: {
    reach: 'visitor_id',
    columns: {
      id: record,
      workspace_id: TENANT,
      widget_id: record,
      visitor_id: record,
      conversation_id: record,
      payload: sealed('conversation', {
        parts: {
          conversation: 'record',
          messages: 'conversation',
          notes: 'conversation',
          profile: 'visitor-data',
        },
      }),
      message_count: record,
      first_message_at: record,
      last_message_at: record,
      profile_collected_at: record,
      profile_expires_at: record,
      archived_at: record,
    },
  },
  conversation_checkpoints: {
    reach: 'conversation',
    columns: {
      id: record,
      workspace_id: TENANT,
      conversation_id: record,
      flow_id: record,
      name: about('record', { note: 'the checkpoint’s name from the flow definition' }),
      data: sealed('visitor-data'),
      created_at: record,
    },
  },
  flow_runs: {
    reach: 'conversation',
    columns: {
      conversation_id: record,
      workspace_id: TENANT,
      flow_id: record,
      flow_version: record,
      step_id: record,
      prompt_seq: record,
      attempts: record,
      awaiting: record,
      handoff_team_id: record,
      updated_at: record,
    },
  },
  queries: {
    reach: 'conversation',
    columns: {
      id: record,
      workspace_id: TENANT,
      conversation_id: record,
      widget_id: record,
      team_id: record,
      state: record,
      assignee_id: record,
      trigger: record,
      page_url: sealed('conversation'),
      referrer: sealed('conversation'),
      resolution_code: record,
      resolution_note: sealed('conversation'),
      rating: record,
      rating_comment: sealed('conversation'),
      created_at: record,
      first_assigned_at: record,
      first_response_at: record,
      closed_at: record,
      rated_at: record,
      updated_at: record,
    },
  },
  query_events: {
    reach: 'query',
    columns: {
      id: none('a storage id'),
      workspace_id: TENANT,
      query_id: record,
      kind: record,
      from_state: record,
      to_state: record,
      actor_id: record,
      assignee_id: record,
      team_id: record,
      occurred_at: record,
    },
  },
  erasures: {
    columns: {
      id: none(),
      workspace_id: TENANT,
      visitor_id: none('ids only: the record that lets a restore erase the visitor again'),
      erased_at: TIME,
      actor_user_id: none('an id'),
      via: none(),
    },
  },
  audit_events: {
    columns: {
      id: none(),
      workspace_id: TENANT,
      seq: none(),
      occurred_at: TIME,
      actor_type: none(),
      actor_id: none('an id (a team member, token, or visitor)'),
      action: none(),
      target_type: none(),
      target_id: none('an id; the hash chain must stay whole, so it outlives an erasure, naming nobody'),
      ip: staff('the client address of a team member’s action'),
      details: none('ids, counts and flags only'),
      prev_hash: none(),
      hash: none(),
    },
  },

  audit_heads: plain('workspace_id seq hash'),
  attachment_settings: plain(
    'workspace_id allowed_kinds updated_at',
    'the kinds of file a workspace accepts',
  ),

  // ── about team members ──────────────────────────────────────────────────────────────────────
  users: {
    columns: {
      id: none(),
      workspace_id: TENANT,
      email: staff('the member’s sign-in address; deleted with the member'),
      name: staff('deleted with the member'),
      password_hash: none('a secret’s hash'),
      disabled_at: TIME,
      created_at: TIME,
    },
  },
  memberships: plain('id workspace_id user_id role created_at'),
  sessions: {
    columns: {
      ...plain('id workspace_id user_id token_hash created_at last_seen_at expires_at revoked_at stage')
        .columns,
      ip: staff('the address a member signed in from'),
      user_agent: staff('the member’s browser'),
    },
  },
  invites: {
    columns: {
      ...plain('id workspace_id role token_hash invited_by created_at expires_at accepted_at revoked_at')
        .columns,
      email: staff('the invited person’s address'),
    },
  },
  outbox: {
    columns: {
      ...plain('id workspace_id created_at expires_at kind').columns,
      to_address: staff('mail to team members (invitations, resets); expires with its link'),
      subject: staff('as above'),
      body: staff('as above; sealed under the master key ring'),
    },
  },
  auth_throttles: {
    columns: {
      ...plain('workspace_id failures window_started_at blocked_until').columns,
      key: staff('a hash of the account or the client address that failed to sign in'),
    },
  },
  passkeys: {
    columns: {
      ...plain(
        'id workspace_id user_id credential_id public_key counter transports device_type backed_up created_at last_used_at',
      ).columns,
      name: staff('the name a member gave their passkey'),
    },
  },
  password_resets: plain('id workspace_id user_id token_hash created_at expires_at used_at'),
  setup_tokens: plain('id workspace_id token_hash created_at expires_at used_at'),
  totp_credentials: plain(
    'id workspace_id user_id secret_sealed confirmed_at last_used_step created_at',
    'a second factor’s secret (sealed) and its use',
  ),
  recovery_codes: plain('id workspace_id user_id code_hash used_at created_at'),
  webauthn_challenges: plain(
    'id workspace_id user_id session_id purpose challenge_hash created_at expires_at',
  ),
  session_factors: plain('session_id workspace_id user_id failures verified_at updated_at'),
  mfa_policies: plain('workspace_id workspace_required required_roles updated_at'),
  api_tokens: plain(
    'id workspace_id public_id token_hash name scopes created_by created_at expires_at last_used_at revoked_at client_cert_sha256 client_ca_pem',
  ),
  directories: plain(
    'id workspace_id email_domain url start_tls ca_pem bind_dn bind_password base_dn user_attribute group_mode group_base_dn enabled created_at updated_at',
    'a directory’s settings; the search account’s password is sealed under the master key ring',
  ),
  directory_role_mappings: plain('id directory_id group_dn role'),
  directory_accounts: {
    columns: {
      ...plain('user_id directory_id workspace_id checked_at').columns,
      dn: staff(
        'the member’s entry in the company directory (often holds their name); deleted with the member',
      ),
    },
  },
  teams: plain('id workspace_id name created_at'),
  team_members: plain('team_id user_id workspace_id created_at'),
  agent_service_settings: plain('user_id workspace_id capacity away last_assigned_at'),
  agent_presence: plain('id workspace_id user_id node_id seen_at'),
  notification_settings: plain('user_id workspace_id sound desktop updated_at', 'an agent’s own preference'),

  // ── settings and bookkeeping ────────────────────────────────────────────────────────────────
  workspaces: plain('id workspace_id name created_at'),
  widgets: plain(
    'id workspace_id name greeting bot_name allowed_origins created_at updated_at identity_secret require_identity bot_min_confidence bot_handoff_after_misses team_id allow_insecure_origins default_language always_default_language greeting_translations calls_enabled',
  ),
  widget_branding: plain(
    'widget_id workspace_id color position offset_x offset_y icon label powered_by avatar avatar_version updated_at',
    'the look of a widget an administrator set; the avatar is the bot’s picture, shown to every visitor',
  ),
  widget_prechat: plain(
    'widget_id workspace_id enabled name_field email_field consent_field privacy_url updated_at',
    'which pre-chat fields a widget asks for; the answers are in visitor_profiles',
  ),
  widget_proactive: plain(
    'widget_id workspace_id enabled delay_seconds path_glob text text_translations version updated_at',
    'a message a widget shows visitors on some pages; an administrator’s text',
  ),
  widget_retention: plain(
    'widget_id workspace_id visitor_data_ttl_seconds history_hours inactivity_days archive_inactive storage_off updated_at',
  ),
  widget_bot_settings: plain(
    'widget_id workspace_id external_bot_enabled external_bot_url external_bot_secret business_hours updated_at',
  ),
  bot_flows: plain(
    'id workspace_id widget_id name trigger label label_translations version created_at updated_at',
  ),
  bot_flow_versions: plain('flow_id version workspace_id definition created_by created_at'),
  knowledge_articles: plain(
    'id workspace_id title body questions tags language published created_at updated_at',
  ),
  knowledge_versions: plain('workspace_id version'),
  resolution_codes: plain('id workspace_id code label created_at'),
  security_alerts: {
    columns: {
      id: none(),
      workspace_id: TENANT,
      rule: none(),
      raised_at: TIME,
      facts: staff(
        'ids and counts; for a burst of refusals, the client addresses and origins behind it, which administrators may see (the audit log shows members’ addresses too); deleted after 90 days',
      ),
      held_back: none(),
    },
  },
  oidc_providers: plain(
    'id workspace_id name issuer client_id client_secret scopes groups_claim mappings domains link_existing trust_provider_mfa mfa_acr_values created_at updated_at',
    'a company sign-in provider an administrator set up; the client secret is sealed under the master key ring',
  ),
  oidc_login_states: plain(
    'id workspace_id provider_id state_hash browser_hash nonce code_verifier created_at expires_at used_at',
    'one sign-in under way: hashes, a nonce and the sealed PKCE verifier; deleted after minutes',
  ),
  oidc_links: {
    columns: {
      ...plain('id workspace_id provider_id user_id created_at last_sign_in_at checked_at').columns,
      subject: staff('the member’s identifier at their company’s sign-in provider'),
      tokens: staff(
        'the refresh / access token the provider gave for the re-check, sealed under the master key ring; cleared when access ends',
      ),
    },
  },
  oidc_provider_rechecks: plain(
    'provider_id workspace_id checked_at result accounts ended role_changes',
    'when a provider was last asked about its members, and counts only',
  ),
  oidc_sessions: {
    columns: {
      ...plain('session_id workspace_id provider_id created_at expires_at').columns,
      subject: staff('the member’s identifier at their company’s sign-in provider'),
      sid: staff('the provider’s session id, so its logout ends the Parley session'),
    },
  },
  sso_settings: plain('workspace_id sso_only updated_at'),
  channels: {
    columns: {
      ...plain(
        'id workspace_id widget_id kind name credentials webhook_secret status last_error last_error_at last_seen_at created_at inbound_address',
        'a messaging platform an administrator connected; credentials and webhook secret sealed under the master key ring; the last error is the platform’s refusal, with no message text',
      ).columns,
      created_by: staff('the administrator who connected the channel'),
    },
  },
  security_alert_reads: plain(
    'user_id workspace_id seen_through',
    'an administrator’s read position in the alerts',
  ),
  labels: plain(
    'id workspace_id name name_key colour created_at updated_at',
    'a label an administrator named',
  ),
  conversation_labels: {
    reach: 'conversation',
    columns: {
      conversation_id: record,
      label_id: record,
      workspace_id: TENANT,
      added_by: record,
      created_at: record,
    },
  },
  // The search index (search/): keyed hashes of words, no plaintext. Each row references the message
  // or profile it was taken from (ON DELETE CASCADE), so it goes wherever that goes. On PostgreSQL a
  // message's terms are one row of search_term_sets: its tokens (fts-token.ts) as an array.
  search_term_sets: {
    reach: 'conversation',
    only: 'postgres',
    columns: {
      message_id: none('a storage id'),
      conversation_id: record,
      workspace_id: TENANT,
      terms: about('conversation', {
        notExported:
          'HMACs of the words of a message (and of their beginnings) under the workspace’s search key; the export holds the message',
      }),
    },
  },
  // On SQLite a message's terms are one document of the FTS5 table search_fts (tokens: the same
  // HMACs); its search_docs row goes with the message, and a trigger deletes the document with it
  // (FTS5 secure-delete: the tokens leave the index at once).
  search_docs: {
    reach: 'conversation',
    only: 'sqlite',
    columns: {
      doc: none(
        'the FTS5 document number of the message’s terms (keyed hashes, not exported: the export holds the message)',
      ),
      message_id: none('a storage id'),
      conversation_id: record,
      workspace_id: TENANT,
    },
  },
  search_backlog: {
    reach: 'conversation',
    columns: {
      message_id: none('a storage id'),
      conversation_id: record,
      workspace_id: TENANT,
      created_at: record,
    },
  },
  search_visitor_terms: {
    reach: 'visitor_id',
    columns: {
      visitor_id: record,
      term_hash: about('visitor-data', {
        notExported:
          'an HMAC of a word of the visitor’s name or email under the workspace’s search key; the export holds the profile',
      }),
      workspace_id: TENANT,
    },
  },
  resolution_settings: plain('workspace_id code_required updated_at'),
  canned_responses: plain('id workspace_id shortcut title body created_at updated_at'),
  retention_runs: plain('id workspace_id node started_at finished_at counts error', 'counts only'),
  scheduler_leases: plain('name workspace_id holder expires_at last_run_at'),
  key_rotations: plain('id workspace_id target_kek_id started_at finished_at rewrapped'),
};

/** A visitor's personal column, as the tests and the export walk them. */
export interface VisitorColumn {
  table: string;
  column: string;
  reach: Reach;
  sealedRowId: string;
  spec: Extract<ColumnClass, { subject: 'visitor' }>;
}

export function visitorColumns(dialect?: 'sqlite' | 'postgres'): VisitorColumn[] {
  const out: VisitorColumn[] = [];
  for (const [table, t] of Object.entries(DATA_CLASSIFICATION)) {
    if (dialect && t.only && t.only !== dialect) continue;
    for (const [column, spec] of Object.entries(t.columns)) {
      if (spec.subject !== 'visitor') continue;
      if (!t.reach) throw new Error(`${table}.${column} is about a visitor, but ${table} declares no reach`);
      out.push({ table, column, reach: t.reach, sealedRowId: t.sealedRowId ?? 'id', spec });
    }
  }
  return out;
}
