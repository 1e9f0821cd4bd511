import type { Ticket, VisitorSession } from '../../protocol/api.js';
import type { VisitorIdentity } from '../../protocol/identity.js';
import type { Language } from '../../protocol/languages.js';
import type { PrechatAnswersBody } from '../../protocol/prechat.js';

/** A failed request: `code` is the protocol error code, or `network_error` when nothing answered. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** Worth trying again later by itself (the server or the network had a moment). */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

async function post<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network_error', 'Cannot reach the chat service. Check your connection.', 0);
  }
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const error = data?.error;
    throw new ApiError(
      error?.code ?? 'internal_error',
      error?.message ?? 'Something went wrong on our side. Try again.',
      res.status,
    );
  }
  return data as T;
}

/**
 * Starts or resumes the visitor session. The credential travels in Parley's visitor cookie
 * (HttpOnly, Partitioned: see docs/PROTOCOL.md §2.4), so no script here, nor the host page, ever
 * holds it; the browser sends it with these same-origin requests and stores the rotated one.
 */
export function openSession(
  widgetId: string,
  hostOrigin: string,
  identity: VisitorIdentity | null,
  language: Language,
): Promise<VisitorSession> {
  return post<VisitorSession>('/api/v1/visitor/sessions', {
    widgetId,
    hostOrigin,
    language,
    ...(identity ? { identity } : {}),
  });
}

/** A single-use WebSocket ticket for this widget's visitor, authenticated by the visitor cookie. */
export function fetchTicket(widgetId: string): Promise<Ticket> {
  return post<Ticket>('/api/v1/visitor/tickets', { widgetId });
}

/** Asks Parley to mail this conversation to the email address the visitor left. */
export async function emailTranscript(widgetId: string, conversationId: string): Promise<void> {
  await post<unknown>(
    `/api/v1/visitor/conversations/${encodeURIComponent(conversationId)}/transcript-email`,
    { widgetId },
  );
}

/** The visitor's 1–5 rating (and comment) of a conversation a person resolved. */
export async function rateConversation(
  widgetId: string,
  conversationId: string,
  score: number,
  comment: string,
): Promise<void> {
  await post<unknown>(`/api/v1/visitor/conversations/${encodeURIComponent(conversationId)}/rating`, {
    widgetId,
    score,
    ...(comment.trim() ? { comment: comment.trim() } : {}),
  });
}

/** The page the visitor is on (and how they got there); a handoff shows it to the operator. */
export async function reportPage(
  widgetId: string,
  conversationId: string,
  page: { pageUrl: string; referrer: string | null },
): Promise<void> {
  await post<unknown>(
    `/api/v1/visitor/conversations/${encodeURIComponent(conversationId)}/page`,
    { widgetId, pageUrl: page.pageUrl, ...(page.referrer ? { referrer: page.referrer } : {}) },
    'PUT',
  );
}

/** What the visitor filled in the pre-chat form: it goes to their profile (and a consent with it). */
export async function answerPrechat(answers: PrechatAnswersBody): Promise<void> {
  await post<unknown>('/api/v1/visitor/prechat', answers);
}
