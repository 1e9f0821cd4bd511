import type { WidgetBranding, WidgetBrandingBody } from '../../protocol/branding.js';
import { ApiError, request } from './api.js';

const base = (wid: string, id: string) =>
  `/workspaces/${encodeURIComponent(wid)}/widgets/${encodeURIComponent(id)}/branding`;

/** A widget's look and the bot's avatar (administrators change them; everyone may read). */
export const brandingApi = {
  get: (wid: string, id: string) => request<WidgetBranding>('GET', base(wid, id)),
  save: (wid: string, id: string, body: WidgetBrandingBody) =>
    request<WidgetBranding>('PUT', base(wid, id), body),
  removeAvatar: (wid: string, id: string) => request<WidgetBranding>('DELETE', `${base(wid, id)}/avatar`),
  /** The file's bytes as they are: the server decides what it is and re-encodes it. */
  async uploadAvatar(wid: string, id: string, file: Blob): Promise<WidgetBranding> {
    let res: Response;
    try {
      res = await fetch(`/api/v1${base(wid, id)}/avatar`, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
        body: file,
      });
    } catch {
      throw new ApiError(
        0,
        'network_error',
        'Parley could not be reached. Check your connection and try again.',
      );
    }
    const body = (await res.json().catch(() => null)) as
      | (WidgetBranding & { error?: { code: ApiError['code']; message: string } })
      | null;
    if (res.ok && body) return body;
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `The server answered with an unexpected error (${res.status}).`,
    );
  },
};
