import { FILE_NAME_HEADER } from './attachment-limits.js';
import type { Attachment } from './attachments.js';

/** A refused or failed upload: the server's code and its message for people (§2.21). */
export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The part of XMLHttpRequest used here: protocol/ is also compiled for the server, without the DOM. */
interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly upload: {
    onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  readonly status: number;
  readonly responseText: string;
}

const UNREACHABLE = 'The file could not be sent: the connection was lost. Check your connection and retry.';

/**
 * Sends one file to an upload route as raw bytes (§2.21), reporting progress as the bytes leave
 * (XMLHttpRequest: fetch has no upload progress). Same-origin, so the browser adds the caller's own
 * credential cookie; nothing here holds a credential.
 */
export function uploadFile(options: {
  url: string;
  file: Blob & { name: string };
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
}): Promise<Attachment> {
  const { url, file, onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    const xhr = new (globalThis as unknown as { XMLHttpRequest: new () => Xhr }).XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader(FILE_NAME_HEADER, encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: a proxy's page */
      }
      if (xhr.status === 201 && data) return resolve(data as Attachment);
      const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
      reject(
        new UploadError(
          error?.code ?? 'internal_error',
          error?.message ?? 'The file could not be sent. Try again.',
          xhr.status,
        ),
      );
    };
    xhr.onerror = () => reject(new UploadError('network_error', UNREACHABLE, 0));
    xhr.onabort = () => reject(new UploadError('aborted', 'The upload was cancelled.', 0));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
