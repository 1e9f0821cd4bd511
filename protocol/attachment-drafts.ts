import { ATTACHMENT_LIMITS } from './attachment-limits.js';
import type { Attachment } from './attachments.js';
import { UploadError, uploadFile } from './upload-file.js';

/** A file chosen for the next message: on its way, uploaded and waiting to be sent, or refused. */
export interface Draft {
  /** Local only, for the view's keys and buttons. */
  id: string;
  name: string;
  size: number;
  status: 'uploading' | 'ready' | 'failed';
  /** 0–1 while uploading. */
  progress: number;
  /** The stored file, once the server took it. */
  attachment?: Attachment;
  /** The server's message for people when it refused the file (or why it could not be sent). */
  error?: string;
  /**
   * Why, as a code: the server's (protocol/errors.ts), `network_error`, or the drafts' own
   * `too_many_files` / `not_connected`. A view in another language than English says it from this.
   */
  code?: string;
  /**
   * Failed for a passing reason (the network, a rate limit, the server): worth a retry. A file the
   * server refused for what it is (its kind, its size) fails the same way again: it can only go.
   */
  retryable?: boolean;
}

type Upload = typeof uploadFile;

const TOO_MANY = `A message carries at most ${ATTACHMENT_LIMITS.maxPerMessage} files. Send these first.`;

/**
 * The files waiting above a composer, shared by the widget and the dashboard. Each is uploaded as
 * soon as it is chosen (the message then only names it); a refused one keeps the server's message
 * and its file, so it can be retried or removed. Plain TypeScript: views read `drafts` and call these.
 */
export class AttachmentDrafts {
  drafts: readonly Draft[] = [];
  private readonly files = new Map<string, File>();
  private readonly uploads = new Map<string, AbortController>();
  private counter = 0;

  constructor(
    /** Where an upload goes now: the conversation may change between uploads. Null: not yet known. */
    private readonly uploadUrl: () => string | null,
    private readonly onChange: (drafts: readonly Draft[]) => void,
    private readonly upload: Upload = uploadFile,
  ) {}

  /** Files picked, dropped or pasted; each starts uploading at once. */
  add(files: readonly File[]): void {
    for (const file of files) {
      const id = `d${++this.counter}`;
      const full = this.drafts.filter((d) => d.status !== 'failed').length >= ATTACHMENT_LIMITS.maxPerMessage;
      this.files.set(id, file);
      this.set([
        ...this.drafts,
        full
          ? {
              id,
              name: file.name,
              size: file.size,
              status: 'failed',
              progress: 0,
              error: TOO_MANY,
              code: 'too_many_files',
              retryable: true,
            }
          : { id, name: file.name, size: file.size, status: 'uploading', progress: 0 },
      ]);
      if (!full) void this.start(id);
    }
  }

  /** Takes a file off the message; an upload under way stops (what was stored is swept in a day). */
  remove(id: string): void {
    this.uploads.get(id)?.abort();
    this.uploads.delete(id);
    this.files.delete(id);
    this.set(this.drafts.filter((d) => d.id !== id));
  }

  /** Uploads a refused or failed file again. */
  retry(id: string): void {
    const draft = this.drafts.find((d) => d.id === id);
    if (draft?.status !== 'failed') return;
    this.patch(id, { status: 'uploading', progress: 0, error: undefined, code: undefined });
    void this.start(id);
  }

  /** Some file is still on its way: the message waits for it. */
  get busy(): boolean {
    return this.drafts.some((d) => d.status === 'uploading');
  }

  /** The uploaded files, in the order they were chosen. */
  get ready(): Attachment[] {
    return this.drafts.flatMap((d) => (d.status === 'ready' && d.attachment ? [d.attachment] : []));
  }

  /** The message carrying the uploaded files was sent: they leave the composer; refused ones stay. */
  sent(): void {
    for (const d of this.drafts) if (d.status === 'ready') this.files.delete(d.id);
    this.set(this.drafts.filter((d) => d.status !== 'ready'));
  }

  /**
   * The conversation changed (a closed one was followed by a new one): uploads belong to the old one,
   * so each goes up again to the new one.
   */
  moved(): void {
    for (const d of this.drafts) {
      if (d.status === 'failed') continue;
      this.uploads.get(d.id)?.abort();
      this.patch(d.id, { status: 'uploading', progress: 0, attachment: undefined });
      void this.start(d.id);
    }
  }

  private async start(id: string): Promise<void> {
    const file = this.files.get(id);
    const url = this.uploadUrl();
    if (!file) return;
    if (!url) {
      this.patch(id, {
        status: 'failed',
        error: 'The chat is not connected yet. Retry in a moment.',
        code: 'not_connected',
        retryable: true,
      });
      return;
    }
    const controller = new AbortController();
    this.uploads.set(id, controller);
    let shown = 0;
    try {
      const attachment = await this.upload({
        url,
        file,
        signal: controller.signal,
        // Whole percents only: a view redrawn for every network packet helps nobody.
        onProgress: (fraction) => {
          const percent = Math.floor(fraction * 100);
          if (percent === shown || this.uploads.get(id) !== controller) return;
          shown = percent;
          this.patch(id, { progress: percent / 100 });
        },
      });
      if (this.uploads.get(id) !== controller) return;
      this.patch(id, { status: 'ready', progress: 1, attachment });
    } catch (err) {
      if (this.uploads.get(id) !== controller) return;
      const message = err instanceof UploadError ? err.message : 'The file could not be sent. Try again.';
      const status = err instanceof UploadError ? err.status : 0;
      const code = err instanceof UploadError ? err.code : 'network_error';
      const retryable = status === 0 || status === 429 || status >= 500;
      this.patch(id, { status: 'failed', progress: 0, error: message, code, retryable });
    } finally {
      if (this.uploads.get(id) === controller) this.uploads.delete(id);
    }
  }

  private patch(id: string, patch: Partial<Draft>): void {
    this.set(this.drafts.map((d) => (d.id === id ? { ...d, ...patch } : d)));
  }

  private set(drafts: readonly Draft[]): void {
    this.drafts = drafts;
    this.onChange(drafts);
  }
}
