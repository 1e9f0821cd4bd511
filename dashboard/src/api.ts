import { isErrorCode } from '../../protocol/errors.js';
import type {
  Conversation,
  ConversationStatus,
  ErrorBody,
  LoginBody,
  Me,
  Message,
  SetupBody,
  Widget,
  WidgetBody,
  WidgetPatch,
} from '../../protocol/index.js';
import { redirectToLogin } from './lib/auth-redirect.js';
import { routeForStage } from './lib/sign-in-stage.js';

/** Error codes from protocol/errors.ts plus the two a browser can produce without the server's help. */
export type ApiErrorCode = ErrorBody['error']['code'] | 'network_error' | 'http_error';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface RequestOptions {
  /** Set for calls where a 401 is an answer to show (sign-in), not a reason to leave the page. */
  noAuthRedirect?: boolean;
}

export async function request<T>(method: Method, path: string, body?: unknown, opts: RequestOptions = {}) {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET') {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Parley could not be reached. Check your connection and try again.',
    );
  }
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  const error = await readError(res);
  if (
    res.status === 401 &&
    !opts.noAuthRedirect &&
    (error.code === 'unauthenticated' || error.code === 'session_expired')
  ) {
    redirectToLogin(error.code === 'session_expired' ? error.message : null);
  }
  // The session still owes its second factor or MFA setup (e.g. a policy just started to apply).
  if (res.status === 403 && (error.code === 'mfa_required' || error.code === 'mfa_enrollment_required')) {
    routeForStage(error.code === 'mfa_required' ? 'mfa' : 'enroll', window.location.pathname);
  }
  throw error;
}

async function readError(res: Response): Promise<ApiError> {
  try {
    const parsed = (await res.json()) as Partial<ErrorBody>;
    const e = parsed.error;
    if (e && isErrorCode(e.code) && typeof e.message === 'string') {
      return new ApiError(res.status, e.code, e.message, Array.isArray(e.details) ? e.details : []);
    }
  } catch {
    // Not JSON: a proxy or an old server answered. Fall through to a generic message.
  }
  return new ApiError(
    res.status,
    'http_error',
    `The server answered with an unexpected error (${res.status}).`,
  );
}

/** A message for any thrown value, so screens can show `errorMessage(e)` without type checks. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return 'Something went wrong. Try again.';
}

const ws = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`;
const q = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};

export const api = {
  getSetup: () => request<{ needsSetup: boolean }>('GET', '/setup', undefined, { noAuthRedirect: true }),
  setup: (body: SetupBody) => request<Me>('POST', '/setup', body, { noAuthRedirect: true }),
  login: (body: LoginBody) => request<Me>('POST', '/auth/login', body, { noAuthRedirect: true }),
  logout: () => request<void>('POST', '/auth/logout', {}, { noAuthRedirect: true }),
  me: () => request<Me>('GET', '/auth/me'),
  /** Who is signed in, without leaving the page when nobody is. */
  peekMe: () => request<Me>('GET', '/auth/me', undefined, { noAuthRedirect: true }),

  listWidgets: (wid: string) => request<{ items: Widget[] }>('GET', `${ws(wid)}/widgets`),
  getWidget: (wid: string, id: string) =>
    request<Widget>('GET', `${ws(wid)}/widgets/${encodeURIComponent(id)}`),
  createWidget: (wid: string, body: WidgetBody) => request<Widget>('POST', `${ws(wid)}/widgets`, body),
  updateWidget: (wid: string, id: string, body: WidgetPatch) =>
    request<Widget>('PATCH', `${ws(wid)}/widgets/${encodeURIComponent(id)}`, body),

  listConversations: (
    wid: string,
    params: { status?: ConversationStatus | 'all'; before?: string; limit?: number },
  ) => request<{ items: Conversation[] }>('GET', `${ws(wid)}/conversations${q(params)}`),
  getConversation: (wid: string, id: string) =>
    request<Conversation>('GET', `${ws(wid)}/conversations/${encodeURIComponent(id)}`),
  listMessages: (wid: string, id: string, params: { afterSeq?: number; limit?: number }) =>
    request<{ items: Message[]; lastSeq: number }>(
      'GET',
      `${ws(wid)}/conversations/${encodeURIComponent(id)}/messages${q(params)}`,
    ),
};
