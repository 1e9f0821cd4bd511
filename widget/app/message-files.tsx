/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../protocol/attachment-kinds.js';
import type { Attachment } from '../../protocol/attachments.js';
import { fileSize } from '../../protocol/file-size.js';
import { useTexts } from './i18n/context.js';
import type { MessageKey } from './i18n/en.js';

/** A file's kind as the visitor reads it, in their language. */
const KIND_KEYS: Record<AttachmentKind, MessageKey> = {
  png: 'fileKindPng',
  jpeg: 'fileKindJpeg',
  gif: 'fileKindGif',
  webp: 'fileKindWebp',
  pdf: 'fileKindPdf',
  text: 'fileKindText',
  docx: 'fileKindDocx',
  xlsx: 'fileKindXlsx',
  pptx: 'fileKindPptx',
  odt: 'fileKindOdt',
};

export type FileUrl = (conversationId: string, attachmentId: string) => string;

/**
 * A message's files: images as thumbnails that open full size inside the chat, other files as a
 * card (name, size, kind) that downloads. Everything loads from Parley's download route with the
 * visitor's cookie; the frame's CSP (img-src 'self') allows exactly that, nothing else.
 */
export function MessageFiles({
  conversationId,
  attachments,
  url,
}: {
  conversationId: string;
  attachments: readonly Attachment[];
  url: FileUrl;
}) {
  const { t } = useTexts();
  const [open, setOpen] = useState<Attachment | null>(null);
  return (
    <div class="pw-files" data-testid="message-files">
      {attachments.map((a) => {
        const href = url(conversationId, a.id);
        const kind = ATTACHMENT_KINDS[a.kind];
        return kind.image ? (
          <button
            key={a.id}
            type="button"
            class="pw-thumb"
            data-testid="file-image"
            aria-label={t('openImage', { name: a.name })}
            onClick={() => setOpen(a)}
          >
            <img src={href} alt={a.name} width={a.width ?? undefined} height={a.height ?? undefined} />
          </button>
        ) : (
          // No `download` attribute: in the sandboxed frame Chromium cancels those. The server's
          // `Content-Disposition: attachment` (download=1) saves the file and leaves the chat in place.
          <a key={a.id} class="pw-file" href={`${href}&download=1`} data-testid="file-card">
            <span class="pw-file-name">{a.name}</span>
            <span class="pw-file-meta">
              {t(KIND_KEYS[a.kind])} · {fileSize(a.size)}
            </span>
          </a>
        );
      })}
      {open && <Lightbox image={open} src={url(conversationId, open.id)} onClose={() => setOpen(null)} />}
    </div>
  );
}

/**
 * The image full size, in a modal dialog: Escape, the close button or a click outside closes it.
 * Download follows a link the server answers as an attachment, so the chat stays where it is.
 */
function Lightbox({ image, src, onClose }: { image: Attachment; src: string; onClose: () => void }) {
  const { t } = useTexts();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="pw-lightbox"
      aria-label={image.name}
      data-testid="lightbox"
      onClose={onClose}
      // Escape closes the image, not the whole chat (app.tsx listens for Escape on the document).
      onKeyDown={(e) => e.key === 'Escape' && e.stopPropagation()}
      onClick={(e) => e.target === dialog.current && dialog.current?.close()}
    >
      <div class="pw-lightbox-bar">
        <a class="pw-lightbox-action" href={`${src}&download=1`} data-testid="lightbox-download">
          {t('download')}
        </a>
        <button type="button" class="pw-lightbox-action" onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </div>
      <img class="pw-lightbox-image" src={src} alt={image.name} data-testid="lightbox-image" />
    </dialog>
  );
}
