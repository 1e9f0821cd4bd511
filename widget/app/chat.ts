import type { VisitorSession } from '../../protocol/api.js';
import type { AttachmentDrafts, Draft } from '../../protocol/attachment-drafts.js';
import type { Attachment } from '../../protocol/attachments.js';
import type { Author, ConversationStatus, Message } from '../../protocol/common.js';
import type { VisitorIdentity } from '../../protocol/identity.js';
import { DEFAULT_LANGUAGE, type Language } from '../../protocol/languages.js';
import { LIMITS } from '../../protocol/limits.js';
import type { PrechatForm } from '../../protocol/prechat.js';
import {
  type ConnectionState,
  isRetriedSend,
  newClientId,
  RealtimeClient,
} from '../../protocol/realtime-client.js';
import type { ActionRef, MessageAction } from '../../protocol/structured.js';
import type { ServerFrame } from '../../protocol/ws.js';
import { CLOSE, WS_PATH, WS_PROTOCOL, WS_TICKET_PREFIX } from '../../protocol/ws-close-codes.js';
import {
  ApiError,
  answerPrechat,
  emailTranscript,
  fetchTicket,
  openSession,
  rateConversation,
  reportPage,
} from './api.js';
import { type HostPage, postToHost } from './host.js';

/** What a visitor's message reopens (a closed conversation is over: a message starts a new one). */
const REOPENED_BY_VISITOR = new Set<ConversationStatus>(['resolved', 'pending', 'snoozed']);

/** A message the visitor sent that the server has not echoed back yet (or refused). */
export interface Pending {
  clientId: string;
  body: string;
  /** The files it carries (uploaded already; the message names them). */
  attachments?: readonly Attachment[];
  status: 'sending' | 'failed';
  error?: string;
  /** The refusal's code: the widget says it in the visitor's language. */
  errorCode?: string;
}

export interface ChatState {
  phase: 'starting' | 'ready' | 'failed';
  /** What went wrong, for people, when `phase` is 'failed'. */
  error: string | null;
  errorCode: string | null;
  connection: ConnectionState;
  /** The socket was open at least once: a later drop reads "Reconnecting…", not "Connecting…". */
  wasOpen: boolean;
  botName: string;
  visitorId: string | null;
  messages: readonly Message[];
  pending: readonly Pending[];
  typing: readonly Author[];
  closed: boolean;
  /** The furthest seq a person on the team has read: "Seen" under the visitor's messages up to it. */
  seenSeq: number;
  /**
   * The conversation's status as the agents set it: from the session when the widget loads, from
   * `subscribed` after a reconnect, then live. Resolved: a message reopens it; closed: a message
   * starts a new conversation.
   */
  status: ConversationStatus;
  /** Files chosen for the next message, above the composer. */
  drafts: readonly Draft[];
  /**
   * The pre-chat form above the composer: the widget's, until the visitor's first message (or Skip).
   * A conversation the visitor already wrote in shows none.
   */
  prechat: PrechatForm | null;
}

/** What the visitor typed in the pre-chat form; empty strings are "not given". */
export interface PrechatDetails {
  name: string;
  email: string;
  consent: boolean;
}

export const initialState: ChatState = {
  phase: 'starting',
  error: null,
  errorCode: null,
  connection: 'connecting',
  wasOpen: false,
  botName: '',
  visitorId: null,
  messages: [],
  pending: [],
  typing: [],
  closed: false,
  seenSeq: 0,
  status: 'open',
  drafts: [],
  prechat: null,
};

const TYPING_SHOWN_MS = 6000;
const TYPING_RESEND_MS = 3000;

/**
 * The visitor's side of one conversation: session, socket, message list, typing and unread count.
 * Plain TypeScript; the components only read `state` and call the methods.
 */
export class Chat {
  state: ChatState = initialState;
  private client: RealtimeClient | null = null;
  private readonly callListeners = new Set<(frame: ServerFrame) => void>();
  private conversationId: string | null = null;
  /** Bumped by every (re)start so that late answers of an abandoned attempt are ignored. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingSentAt = 0;
  /** Until the first `subscribed`, messages are history being replayed: they are not "unread". */
  private replaying = true;
  /** A live `conversation.status` arrived since the last (re)subscribe: it is newer than `subscribed`'s. */
  private liveStatusSinceSubscribe = false;
  private attentive = false;
  private unread = 0;
  /** The chat panel is shown on the host page (the loader says when it opens and closes). */
  private shown = true;
  /** The visitor skipped the pre-chat form (or answered it): it does not come back in this frame. */
  private prechatSkipped = false;
  /** Loaded the first time the visitor attaches a file: a visitor who never does never downloads it. */
  private files: Promise<AttachmentDrafts> | null = null;

  constructor(
    private readonly widgetId: string,
    private readonly hostOrigin: string,
    private readonly onChange: (state: ChatState) => void,
    private readonly identity: VisitorIdentity | null = null,
    private page: HostPage | null = null,
    /** The language the widget shows: the server stores it on the conversation, and the bot speaks it. */
    private readonly language: Language = DEFAULT_LANGUAGE,
  ) {}

  /** The visitor moved on the host page: the conversation's page follows (best effort). */
  setPage(page: HostPage): void {
    if (page.pageUrl === this.page?.pageUrl) return;
    this.page = page;
    this.sendPage();
  }

  private sendPage(): void {
    if (this.page && this.conversationId) {
      reportPage(this.widgetId, this.conversationId, this.page).catch(() => undefined);
    }
  }

  private update(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  /** Opens (or resumes) the visitor session and connects. Safe to call again at any time. */
  async start(): Promise<void> {
    const generation = ++this.generation;
    clearTimeout(this.retryTimer);
    this.client?.stop();
    this.client = null;
    this.clearTyping();
    this.update({
      phase: 'starting',
      error: null,
      errorCode: null,
      connection: 'connecting',
      closed: false,
      status: 'open',
      seenSeq: 0,
    });
    let session: VisitorSession;
    try {
      session = await openSession(this.widgetId, this.hostOrigin, this.identity, this.language);
    } catch (err) {
      if (generation !== this.generation) return;
      const error = err instanceof ApiError ? err : new ApiError('internal_error', String(err), 500);
      this.update({ phase: 'failed', error: error.message, errorCode: error.code, connection: 'closed' });
      if (error.transient) {
        this.retryTimer = setTimeout(() => void this.start(), Math.min(30_000, 1000 * 2 ** this.retries++));
      }
      return;
    }
    if (generation !== this.generation) return;
    this.retries = 0;
    const same = session.conversationId === this.conversationId;
    // Files uploaded to the conversation before go up again to this one.
    if (!same && this.conversationId) void this.files?.then((f) => f.moved());
    const conversationId = session.conversationId;
    this.conversationId = conversationId;
    if (!same) this.replaying = true;
    // Where the conversation starts (or resumes): the first thing an operator sees on a handoff.
    this.sendPage();
    const messages = same ? this.state.messages : [];
    // What the visitor sent and is still on its way goes to the conversation we have now, even a new one.
    const pending = same ? this.state.pending : this.state.pending.filter((p) => p.status === 'sending');
    this.update({
      phase: 'ready',
      botName: session.widget.botName,
      visitorId: session.visitor.id,
      messages,
      pending,
      // Loaded onto a resolved or snoozed conversation: it says so now, not at the next live change.
      status: session.conversationStatus,
      closed: session.conversationStatus === 'closed',
      prechat:
        this.prechatSkipped || messages.some((m) => m.author.kind === 'visitor') || pending.length > 0
          ? null
          : (session.widget.prechat ?? null),
    });

    const client = new RealtimeClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`,
      protocols: () => this.protocols(generation),
      shouldReconnect: (code) => this.shouldReconnect(code),
      onState: (connection) => {
        if (generation === this.generation) {
          this.update({ connection, wasOpen: this.state.wasOpen || connection === 'open' });
        }
      },
      onMessage: (message) => this.receive(message),
      onFrame: (frame) => this.onFrame(frame),
    });
    this.client = client;
    client.subscribe(conversationId, messages.at(-1)?.seq ?? 0);
    // Resume: what was still on its way is resent with its original client id (stored at most once).
    for (const p of pending)
      if (p.status === 'sending')
        client.send(conversationId, p.body, p.clientId, undefined, ids(p.attachments));
    client.start();
  }

  /** A fresh ticket for every connection attempt (single use, 30 s). */
  private async protocols(generation: number): Promise<string[]> {
    try {
      const { ticket } = await fetchTicket(this.widgetId);
      return [WS_PROTOCOL, WS_TICKET_PREFIX + ticket];
    } catch (err) {
      // The credential ended (expired, revoked): the session flow starts anew.
      if (generation === this.generation && err instanceof ApiError && err.status === 401) void this.start();
      throw err;
    }
  }

  private shouldReconnect(code: number): boolean {
    if (code !== CLOSE.sessionEnded) return true;
    void this.start();
    return false;
  }

  /**
   * Call frames (and refusals of call requests, whose rid starts `call-`) go to the call view,
   * loaded only when a call first rings.
   */
  onCall(listener: (frame: ServerFrame) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  sendCall(frame: Parameters<RealtimeClient['sendCall']>[0]): boolean {
    return this.client?.sendCall(frame) ?? false;
  }

  private onFrame(frame: ServerFrame): void {
    if (frame.type.startsWith('call.') || (frame.type === 'error' && frame.rid?.startsWith('call-'))) {
      for (const l of this.callListeners) l(frame);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        // The client subscribes again on every (re)connection.
        this.liveStatusSinceSubscribe = false;
        // Another tab may have moved this visitor to a new conversation: load that one.
        if (frame.principal.kind === 'visitor' && frame.principal.conversationId !== this.conversationId) {
          void this.start();
        }
        break;
      case 'subscribed':
        if (frame.conversationId !== this.conversationId) break;
        this.replaying = false;
        // A change made while the socket was down (resolved during a reconnect) is known now, unless
        // a live change already came after the subscribe: `subscribed` is not ordered with it.
        if (frame.status && !this.liveStatusSinceSubscribe)
          this.update({ status: frame.status, closed: frame.status === 'closed' });
        if (frame.cursors) {
          this.update({ seenSeq: Math.max(this.state.seenSeq, frame.cursors.theirs.readSeq) });
          // What arrived while no tab of this visitor was looking, counted from the stored cursor.
          this.setUnread(Math.max(0, frame.lastSeq - frame.cursors.mine.readSeq));
        }
        this.acknowledge();
        break;
      case 'receipt':
        if (frame.conversationId !== this.conversationId) break;
        if (frame.reader.kind === 'agent' && frame.readSeq > this.state.seenSeq)
          this.update({ seenSeq: frame.readSeq });
        // This visitor read it in another tab: the count here clears too.
        if (frame.reader.kind === 'visitor' && frame.reader.id === this.state.visitorId) {
          const last = this.state.messages.at(-1)?.seq ?? 0;
          this.setUnread(Math.min(this.unread, Math.max(0, last - frame.readSeq)));
        }
        break;
      case 'typing':
        if (frame.conversationId === this.conversationId) this.onTyping(frame.author, frame.state);
        break;
      case 'conversation.status':
        if (frame.conversationId !== this.conversationId) break;
        this.liveStatusSinceSubscribe = true;
        this.update({ status: frame.status, closed: frame.status === 'closed' });
        break;
      case 'error':
        // Written into a closed conversation: nothing typed is lost. A new session starts a new
        // conversation (linked to the closed one) and what was on its way is sent there.
        if (frame.code === 'conversation_closed' && frame.clientId && this.continueAfterClose()) break;
        if (frame.code === 'conversation_closed') this.update({ closed: true, status: 'closed' });
        // "Not now" refusals are sent again by the client; anything else was refused for good.
        if (frame.clientId && !isRetriedSend(frame.code)) {
          const { clientId, message, code } = frame;
          this.update({
            pending: this.state.pending.map((p) =>
              p.clientId === clientId ? { ...p, status: 'failed', error: message, errorCode: code } : p,
            ),
          });
        }
        break;
      default:
        break;
    }
  }

  private receive(message: Message): void {
    if (message.conversationId !== this.conversationId) return;
    this.dropTyping(message.author.id);
    const own = message.author.kind === 'visitor' && message.author.id === this.state.visitorId;
    // The visitor's new message reopened a resolved, pending or snoozed conversation in its own
    // commit: the widget says so at once, whether or not the `conversation.status` that follows
    // reaches this socket (it may be reconnecting, and `subscribed` may have read the older status).
    const reopens = own && !this.replaying && REOPENED_BY_VISITOR.has(this.state.status);
    this.update({
      messages: [...this.state.messages, message],
      pending: this.state.pending.filter((p) => p.clientId !== message.clientId),
      ...(reopens ? { status: 'open' as const } : {}),
      // The visitor wrote (here or in another tab): the pre-chat form is not asked any more.
      ...(own && this.state.prechat ? { prechat: null } : {}),
    });
    if (own || this.replaying) return;
    // The badge never counts while the chat is open and the page visible: that is read at once.
    if (this.reading()) this.acknowledge();
    else {
      this.client?.receipt(message.conversationId, 'delivered', message.seq);
      this.setUnread(this.unread + 1);
    }
  }

  /** The visitor can see the conversation now: the chat is open on a visible page. */
  private reading(): boolean {
    return (this.shown || this.attentive) && document.visibilityState === 'visible';
  }

  /** Everything shown is read, if the visitor can see it: the team sees "Seen", the badge clears. */
  private acknowledge(): void {
    const last = this.state.messages.at(-1)?.seq ?? 0;
    if (!this.reading() || !this.client || !this.conversationId || last === 0) return;
    this.client.receipt(this.conversationId, 'read', last);
    this.setUnread(0);
  }

  private setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    postToHost({ parley: 'unread', count });
  }

  /** The loader opened or closed the chat panel; the page's own visibility is watched here. */
  setShown(shown: boolean): void {
    this.shown = shown;
    this.acknowledge();
  }

  /** The host page became visible or hidden (another tab, a minimized window). */
  visibilityChanged(): void {
    this.acknowledge();
  }

  private onTyping(author: Author, state: 'start' | 'stop'): void {
    if (author.kind === 'visitor' && author.id === this.state.visitorId) return;
    if (state === 'stop') {
      this.dropTyping(author.id);
      return;
    }
    clearTimeout(this.typingTimers.get(author.id));
    this.typingTimers.set(
      author.id,
      setTimeout(() => this.dropTyping(author.id), TYPING_SHOWN_MS),
    );
    this.update({ typing: [...this.state.typing.filter((a) => a.id !== author.id), author] });
  }

  private dropTyping(authorId: string): void {
    clearTimeout(this.typingTimers.get(authorId));
    this.typingTimers.delete(authorId);
    if (this.state.typing.some((a) => a.id === authorId)) {
      this.update({ typing: this.state.typing.filter((a) => a.id !== authorId) });
    }
  }

  private clearTyping(): void {
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    if (this.state.typing.length) this.update({ typing: [] });
  }

  /**
   * Sends a message with the files uploaded for it; it shows as "sending…" until the server echoes
   * it back. Text is optional beside files; nothing goes while a file is still on its way.
   */
  send(text: string, action?: ActionRef): boolean {
    const drafts = this.state.drafts;
    if (!action && drafts.some((d) => d.status === 'uploading')) return false;
    const attachments = action
      ? []
      : drafts.flatMap((d) => (d.status === 'ready' && d.attachment ? [d.attachment] : []));
    if (!this.post(text.trim(), attachments, action)) return false;
    if (attachments.length) void this.files?.then((f) => f.sent());
    return true;
  }

  /** The visitor goes on without details: the form goes away, the question stays in the composer. */
  skipPrechat(): void {
    this.prechatSkipped = true;
    this.update({ prechat: null });
  }

  /**
   * The first message with the pre-chat details: the details go first (a refusal keeps both, so
   * the visitor can correct them or skip), then the question as any message. Nothing filled in is
   * the same as Skip: the question is sent without a request for details.
   */
  async sendWithDetails(text: string, details: PrechatDetails): Promise<boolean> {
    const name = details.name.trim();
    const email = details.email.trim();
    if (name || email || details.consent) {
      await answerPrechat({
        widgetId: this.widgetId,
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(details.consent ? { consent: true } : {}),
      });
    }
    const sent = this.send(text);
    if (sent) this.skipPrechat();
    return sent;
  }

  private post(body: string, attachments: readonly Attachment[], action?: ActionRef): boolean {
    const { client, conversationId } = this;
    if ((!body && !attachments.length) || body.length > LIMITS.maxMessageChars) return false;
    this.typingStopped();
    const clientId = newClientId();
    const pending: Pending = {
      clientId,
      body,
      status: 'sending',
      ...(attachments.length ? { attachments } : {}),
    };
    // The visitor wrote: a pre-chat form still shown is not asked any more.
    if (this.state.prechat) this.prechatSkipped = true;
    this.update({
      pending: [...this.state.pending, pending],
      ...(this.state.prechat ? { prechat: null } : {}),
    });
    // Between connections (a restart under way: a new session, a new conversation after a close)
    // it waits as "sending": start() sends what is still on its way once it is connected.
    if (!client || !conversationId) return true;
    // Known to be closed: go straight to a new conversation, which receives this message.
    if (this.state.closed && !action && this.continueAfterClose()) return true;
    client.send(conversationId, body, clientId, action, ids(attachments));
    return true;
  }

  /** Files picked, dropped or pasted: the upload code loads now, the first time it is needed. */
  async attach(files: readonly File[]): Promise<void> {
    if (!files.length) return;
    this.files ??= import('../../protocol/attachment-drafts.js').then(
      ({ AttachmentDrafts }) =>
        new AttachmentDrafts(
          () =>
            this.conversationId
              ? `/api/v1/visitor/conversations/${encodeURIComponent(this.conversationId)}/attachments?widgetId=${this.widgetId}`
              : null,
          (drafts) => this.update({ drafts }),
        ),
    );
    (await this.files).add(files);
  }

  removeFile(id: string): void {
    void this.files?.then((f) => f.remove(id));
  }

  retryFile(id: string): void {
    void this.files?.then((f) => f.retry(id));
  }

  /** A file of this conversation, fetched with the visitor's cookie (an <img> sends no header). */
  fileUrl(conversationId: string, attachmentId: string): string {
    return `/api/v1/visitor/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(attachmentId)}?widgetId=${this.widgetId}`;
  }

  /** The conversation this one replaced was closed: start the next, at most once per closed one. */
  private continuedFrom: string | null = null;
  private continueAfterClose(): boolean {
    if (!this.conversationId || this.continuedFrom === this.conversationId) return false;
    this.continuedFrom = this.conversationId;
    void this.start();
    return true;
  }

  /** The visitor's rating after a person resolved the conversation. */
  rate(score: number, comment: string): Promise<void> {
    if (!this.conversationId) return Promise.reject(new Error('not connected'));
    return rateConversation(this.widgetId, this.conversationId, score, comment);
  }

  /** The conversation mailed to the address the visitor left (the server knows it; this app does not). */
  emailTranscript(): Promise<void> {
    if (!this.conversationId)
      return Promise.reject(new ApiError('network_error', 'The chat is not connected yet.', 0));
    return emailTranscript(this.widgetId, this.conversationId);
  }

  /** A quick-reply button: its label goes out as the visitor's message, referring to the button. */
  choose(message: Message, action: MessageAction): void {
    this.send(action.label, { seq: message.seq, id: action.id });
  }

  /** Sends a refused message again, as a new message. */
  retry(clientId: string): void {
    const failed = this.state.pending.find((p) => p.clientId === clientId);
    if (!failed) return;
    this.update({ pending: this.state.pending.filter((p) => p !== failed) });
    this.post(failed.body, failed.attachments ?? []);
  }

  /** The conversation was closed: resuming gives the visitor a new open conversation. */
  async newConversation(): Promise<void> {
    await this.start();
  }

  /** The composer's text changed: "typing" at most every 3 s while there is text, "stop" when empty. */
  draftChanged(text: string): void {
    if (!text.trim()) {
      this.typingStopped();
      return;
    }
    const now = Date.now();
    if (now - this.typingSentAt < TYPING_RESEND_MS || !this.client || !this.conversationId) return;
    this.typingSentAt = now;
    this.client.typing(this.conversationId, 'start');
  }

  typingStopped(): void {
    if (!this.typingSentAt) return;
    this.typingSentAt = 0;
    if (this.client && this.conversationId) this.client.typing(this.conversationId, 'stop');
  }

  /** The composer has focus (the visitor is looking): what arrived meanwhile counts as read. */
  setAttentive(attentive: boolean): void {
    this.attentive = attentive;
    this.acknowledge();
  }
}

const ids = (attachments: readonly Attachment[] | undefined): string[] | undefined =>
  attachments?.length ? attachments.map((a) => a.id) : undefined;
