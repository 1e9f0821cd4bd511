/** @jsxImportSource preact */
import type { RefObject } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Draft } from '../../protocol/attachment-drafts.js';
import { ATTACHMENT_KINDS } from '../../protocol/attachment-kinds.js';
import { LIMITS } from '../../protocol/limits.js';
import type { PrechatForm } from '../../protocol/prechat.js';
import { ApiError } from './api.js';
import type { Chat, PrechatDetails } from './chat.js';
import { FileChips } from './file-chips.js';
import { useTexts } from './i18n/context.js';
import type { MessageKey } from './i18n/en.js';
import { PrechatFields } from './prechat-form.js';

interface Props {
  chat: Chat | null;
  ready: boolean;
  /**
   * The chat is still connecting: a message can be written and sent already; it waits as
   * "sending…" and goes out once connected (chat.ts). Files wait for `ready`.
   */
  starting: boolean;
  drafts: readonly Draft[];
  textarea: RefObject<HTMLTextAreaElement>;
  /** The pre-chat form to show above the composer, until the first message. */
  prechat: PrechatForm | null;
}

const NO_DETAILS: PrechatDetails = { name: '', email: '', consent: false };

/** The pre-chat refusals in the visitor's words (invalid_request here is a malformed email). */
const PRECHAT_ERRORS: Record<string, MessageKey> = {
  prechat_field_required: 'errorPrechatRequired',
  consent_required: 'errorConsentRequired',
  invalid_request: 'errorPrechatInvalid',
};

/** What the picker offers; the server decides from the content, whatever the name says. */
const ACCEPT = Object.values(ATTACHMENT_KINDS)
  .flatMap((k) => k.extensions.map((e) => `.${e}`))
  .join(',');

export function Composer({ chat, ready, starting, drafts, textarea, prechat }: Props) {
  const [text, setText] = useState('');
  const { t, error: say } = useTexts();
  const [details, setDetails] = useState<PrechatDetails>(NO_DETAILS);
  const [prechatError, setPrechatError] = useState('');
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const uploading = drafts.some((d) => d.status === 'uploading');
  const files = drafts.some((d) => d.status === 'ready');
  const canSend = (ready || (starting && !prechat)) && !uploading && !busy && (text.trim() !== '' || files);

  const submit = (): void => {
    if (!canSend || !chat) return;
    if (!prechat) {
      if (chat.send(text)) setText('');
      return;
    }
    setBusy(true);
    setPrechatError('');
    chat
      .sendWithDetails(text, details)
      .then(
        (sent) => {
          if (!sent) return;
          setText('');
          setDetails(NO_DETAILS);
        },
        (e: unknown) => {
          const key = e instanceof ApiError ? PRECHAT_ERRORS[e.code] : undefined;
          setPrechatError(key ? t(key) : e instanceof ApiError ? say(e.code, e.message) : t('errorGeneric'));
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <div class="pw-compose">
      {prechat && (
        <PrechatFields
          form={prechat}
          details={details}
          onChange={setDetails}
          error={prechatError}
          onSkip={() => {
            chat?.skipPrechat();
            setPrechatError('');
            // The question goes on where it is being written.
            textarea.current?.focus();
          }}
        />
      )}
      <FileChips
        drafts={drafts}
        onRemove={(id) => chat?.removeFile(id)}
        onRetry={(id) => chat?.retryFile(id)}
      />
      <form
        class="pw-composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <input
          ref={picker}
          type="file"
          multiple
          accept={ACCEPT}
          class="pw-picker"
          data-testid="file-input"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            const input = e.currentTarget;
            void chat?.attach([...(input.files ?? [])]);
            // The same file may be chosen again after it was removed.
            input.value = '';
          }}
        />
        <button
          type="button"
          class="pw-attach"
          data-testid="attach"
          aria-label={t('attachFiles')}
          disabled={!ready}
          onClick={() => picker.current?.click()}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.6-8.6a3.7 3.7 0 015.2 5.2l-8.6 8.6a1.8 1.8 0 01-2.6-2.6l7.9-7.9" />
          </svg>
        </button>
        <textarea
          ref={textarea}
          class="pw-input"
          data-testid="composer"
          aria-label={t('messageLabel')}
          placeholder={files ? t('placeholderFiles') : t('placeholder')}
          rows={1}
          maxLength={LIMITS.maxMessageChars}
          value={text}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            chat?.draftChanged(value);
          }}
          onPaste={(e) => {
            // A pasted screenshot arrives as a file; pasted text stays text.
            const pasted = [...(e.clipboardData?.files ?? [])];
            if (!pasted.length || !ready) return;
            e.preventDefault();
            void chat?.attach(pasted);
          }}
          onKeyDown={(e) => {
            // Enter sends, Shift+Enter is a new line; never while an IME is composing a character.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
          onFocus={() => chat?.setAttentive(true)}
          onBlur={() => {
            chat?.setAttentive(false);
            chat?.typingStopped();
          }}
        />
        <button type="submit" class="pw-send" data-testid="send" aria-label={t('send')} disabled={!canSend}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M4 12l16-8-6 16-3-7-7-1z" />
          </svg>
        </button>
      </form>
    </div>
  );
}
